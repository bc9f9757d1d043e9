using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorRouterTests
{
    private readonly EmulatorRouter _router;

    public EmulatorRouterTests()
    {
        var options = new ClerkEmulatorOptions();
        var state = new ClerkEmulatorState(Options.Create(options));
        var checks = new EmulatorCallChecks(new EmulatorKeys(options.PublicKey, options.PrivateKey), state);
        _router = new EmulatorRouter(
            new LoggingEndpoints(checks, state, TimeProvider.System),
            new ResultEndpoints(checks, state, TimeProvider.System),
            new AccountEndpoints(checks, state),
            new CatalogEndpoints(checks, state));
    }

    [Theory]
    [InlineData("log/click")]
    [InlineData("log/sale")]
    [InlineData("log/product")]
    [InlineData("log/category")]
    [InlineData("log/email")]
    [InlineData("log/cart/add")]
    [InlineData("log/cart/remove")]
    [InlineData("log/cart/set")]
    [InlineData("log/basket/set")]
    [InlineData("log/returned")]
    [InlineData("client/account/info")]
    [InlineData("privacy/info")]
    [InlineData("privacy/forget")]
    [InlineData("search/search")]
    [InlineData("search/predictive")]
    [InlineData("recommendations/popular")]
    [InlineData("recommendations/category/popular")]
    [InlineData("recommendations/visitor/history")]
    [InlineData("product/add")]
    [InlineData("product/remove")]
    public void Find_ImplementedEndpoint_HasAHandler(string endpoint) =>
        Assert.NotNull(_router.Find(endpoint));

    [Theory]
    [InlineData("log/nothing")]
    [InlineData("recommendations/")]
    [InlineData("recommendations")]
    [InlineData("search")]
    [InlineData("LOG/CLICK")]
    [InlineData("log/click/")]
    [InlineData("")]
    public void Find_UnknownEndpoint_IsNull(string endpoint) =>
        Assert.Null(_router.Find(endpoint));

    [Fact]
    public void Find_Recommendations_PassesTheRestOfThePathAsTheKind()
    {
        var handle = _router.Find("recommendations/visitor/history")!;

        // Only visitor/… kinds refuse the 'auto' visitor, so this answer shows the kind arrived whole.
        var response = handle(Arguments.Call($$"""{"key":"{{ClerkEmulatorOptions.DemoPublicKey}}","limit":5,"visitor":"auto"}"""));

        Assert.Equal("LogicalError", response.ErrorType);
    }
}
