using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorKeysTests
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
    private readonly EmulatorKeys _keys = new(ClerkEmulatorOptions.DemoPublicKey, ClerkEmulatorOptions.DemoPrivateKey);

    [Fact]
    public void CheckPublic_MissingKey_AnswersAuthenticationErrorNamingTheArgument()
    {
        var invalid = _keys.CheckPublic(Arguments.Of("{}"));

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
        Assert.StartsWith("Missing Argument key", (string?)invalid!.Body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"key":"wrong"}""")]
    [InlineData("""{"key":"DEMO-PUBLIC-KEY"}""")]
    [InlineData("""{"key":"demo-private-key"}""")]
    public void CheckPublic_WrongKey_AnswersAuthenticationErrorInvalidKey(string json)
    {
        var invalid = _keys.CheckPublic(Arguments.Of(json));

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
        Assert.StartsWith("Invalid API key", (string?)invalid!.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPublic_TheStoresKey_Passes() =>
        Assert.Null(_keys.CheckPublic(Arguments.Of($$"""{"key":"{{Key}}"}""")));

    [Fact]
    public void CheckPublic_TheStoresOwnKey_IsTheOneAccepted()
    {
        var keys = new EmulatorKeys("shop-key", ClerkEmulatorOptions.DemoPrivateKey);

        Assert.Null(keys.CheckPublic(Arguments.Of("""{"key":"shop-key"}""")));
        Assert.NotNull(keys.CheckPublic(Arguments.Of($$"""{"key":"{{Key}}"}""")));
    }

    [Fact]
    public void CheckPrivate_MissingPrivateKey_AnswersAuthenticationErrorNamingTheArgument()
    {
        var invalid = _keys.CheckPrivate(Arguments.Of($$"""{"key":"{{Key}}"}"""));

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
        Assert.StartsWith("Missing Argument private_key", (string?)invalid!.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void CheckPrivate_PublicKeyGivenAsPrivateKey_AnswersAuthenticationError()
    {
        var invalid = _keys.CheckPrivate(Arguments.Of($$"""{"key":"{{Key}}","private_key":"{{Key}}"}"""));

        Arguments.AssertError(invalid, StatusCodes.Status401Unauthorized, "AuthenticationError");
        Assert.Equal("Invalid private API key for this store.", (string?)invalid!.Body["message"]);
    }

    [Fact]
    public void CheckPrivate_TheStoresPrivateKey_Passes() =>
        Assert.Null(_keys.CheckPrivate(Arguments.Of($$"""{"private_key":"{{PrivateKey}}"}""")));
}
