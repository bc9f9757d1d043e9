using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorCallChecksTests
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private readonly EmulatorCallChecks _checks;

    public EmulatorCallChecksTests()
    {
        var options = new ClerkEmulatorOptions();
        options.Catalog.Add(new ClerkEmulatorProduct(101, "Wool Sweater", 499.95m));
        _checks = new EmulatorCallChecks(new EmulatorKeys(options.PublicKey, options.PrivateKey), new ClerkEmulatorState(Microsoft.Extensions.Options.Options.Create(options)));
    }

    [Fact]
    public void Public_WrongKeyAndMissingArgument_NamesTheKeyFirst()
    {
        var invalid = _checks.Public(Arguments.Call("""{"key":"wrong"}"""), "product");

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
    }

    [Fact]
    public void Private_MissingPrivateKeyAndMissingArgument_NamesTheArgumentFirst()
    {
        var invalid = _checks.Private(Arguments.Call($$"""{"key":"{{Key}}"}"""), "order");

        Arguments.AssertError(invalid, StatusCodes.Status400BadRequest, "ParsingError");
        Assert.Equal("Missing Argument order", (string?)invalid!.Body["message"]);
    }

    [Fact]
    public void Private_WrongPublicKeyWithRightPrivateKey_AnswersAuthenticationError()
    {
        var invalid = _checks.Private(Arguments.Call($$"""{"key":"wrong","private_key":"{{PrivateKey}}"}"""));

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
    }

    [Fact]
    public void Private_BothKeys_Passes() =>
        Assert.Null(_checks.Private(Arguments.Call($$"""{"key":"{{Key}}","private_key":"{{PrivateKey}}"}""")));

    [Theory]
    [InlineData("\"\"")]
    [InlineData("null")]
    public void Public_RequiredArgumentEmptyOrNull_AnswersMissingArgument(string value)
    {
        var invalid = _checks.Public(Arguments.Call($$"""{"key":"{{Key}}","product":{{value}}}"""), "product");

        Assert.Equal("Missing Argument product", (string?)invalid?.Body["message"]);
    }

    [Fact]
    public void OneOf_NoneGiven_AnswersParsingErrorListingThem()
    {
        var invalid = EmulatorCallChecks.OneOf(Arguments.Call("{}"), "email", "visitor");

        Arguments.AssertError(invalid, StatusCodes.Status400BadRequest, "ParsingError");
        Assert.Equal("Missing Argument: one of email, visitor is required.", (string?)invalid!.Body["message"]);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[101,\"102\"]")]
    [InlineData("[{\"price\":1}]")]
    [InlineData("[true]")]
    public void ProductList_EmptyMixedOrWithoutIds_AnswersInvalidSyntax(string products)
    {
        var invalid = _checks.ProductList(Arguments.Call($$"""{"products":{{products}}}"""), "products");

        Assert.Equal("Invalid Syntax In Argument: products", (string?)invalid?.Body["message"]);
    }

    [Theory]
    [InlineData("[101,102]")]
    [InlineData("[{\"id\":101},{\"id\":102}]")]
    public void ProductList_IdsOfTheCatalogsType_Passes(string products) =>
        Assert.Null(_checks.ProductList(Arguments.Call($$"""{"products":{{products}}}"""), "products"));
}
