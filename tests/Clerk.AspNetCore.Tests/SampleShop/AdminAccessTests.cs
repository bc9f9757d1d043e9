using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;
using SampleShop.Admin;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop's admin key and the cookie it earns.</summary>
public sealed class AdminAccessTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly EphemeralDataProtectionProvider _protection = new();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void IsEnabled_NoKeySetting_IsFalseAndNoKeyIsRight(string? key)
    {
        var access = Access(key);

        Assert.False(access.IsEnabled);
        Assert.False(access.IsKey(key));
        Assert.False(access.IsKey("anything"));
    }

    [Theory]
    [InlineData("the-key", true)]
    [InlineData("the-key ", false)]
    [InlineData("The-key", false)]
    [InlineData("the-ke", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKey_Presented_IsTrueOnlyForTheExactKey(string? presented, bool expected) =>
        Assert.Equal(expected, Access("the-key").IsKey(presented));

    [Fact]
    public void Grant_OverHttps_SetsASecureStrictHttpOnlySessionCookieUnderAdmin()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";

        Access("the-key").Grant(context);

        var cookie = SetCookieHeaderValue.Parse(context.Response.Headers.SetCookie.ToString());
        Assert.Equal(AdminAccess.CookieName, cookie.Name.ToString());
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal("/admin", cookie.Path.ToString());
        Assert.Null(cookie.Expires);
        Assert.DoesNotContain("the-key", cookie.Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HasAccess_GrantedCookie_LetsInUntilItsLifetimeEnds()
    {
        var access = Access("the-key");
        var cookie = GrantedCookie(access);

        Assert.True(access.HasAccess(WithCookie(cookie)));
        _clock.Advance(AdminAccess.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(access.HasAccess(WithCookie(cookie)));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(access.HasAccess(WithCookie(cookie)));
    }

    [Fact]
    public void HasAccess_CookieGrantedForAnotherKey_IsRefused()
    {
        var cookie = GrantedCookie(Access("old-key"));

        Assert.False(Access("new-key").HasAccess(WithCookie(cookie)));
    }

    [Fact]
    public void HasAccess_CookieOfAnotherKeyRing_IsRefused()
    {
        var cookie = GrantedCookie(new AdminAccess(Configuration("the-key"), new EphemeralDataProtectionProvider(), _clock));

        Assert.False(Access("the-key").HasAccess(WithCookie(cookie)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(-1)]
    public void HasAccess_AlteredCookie_IsRefused(int position)
    {
        var access = Access("the-key");
        var cookie = GrantedCookie(access).ToCharArray();
        // Not the last character, whose low bits may be padding that decodes to the same bytes.
        var at = position < 0 ? cookie.Length / 2 : position;
        cookie[at] = cookie[at] == 'A' ? 'B' : 'A';

        Assert.False(access.HasAccess(WithCookie(new string(cookie))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-base64-!!")]
    [InlineData("CfDJ8")]
    public void HasAccess_NoOrJunkCookie_IsRefused(string cookie) =>
        Assert.False(Access("the-key").HasAccess(WithCookie(cookie)));

    [Fact]
    public void HasAccess_ProtectedTextThatIsNotAToken_IsRefused()
    {
        // Another payload protected for the same purpose (a key ring shared with nothing else would not produce it,
        // but the token's own shape is checked too).
        var forged = _protection.CreateProtector("SampleShop.Admin.Access.v1").Protect("9999999999");

        Assert.False(Access("the-key").HasAccess(WithCookie(forged)));
    }

    private AdminAccess Access(string? key) => new(Configuration(key), _protection, _clock);

    private static IConfiguration Configuration(string? key) =>
        new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(AdminAccess.KeySetting, key)]).Build();

    private static string GrantedCookie(AdminAccess access)
    {
        var context = new DefaultHttpContext();
        access.Grant(context);
        return Uri.UnescapeDataString(SetCookieHeaderValue.Parse(context.Response.Headers.SetCookie.ToString()).Value.ToString());
    }

    private static DefaultHttpContext WithCookie(string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = $"{AdminAccess.CookieName}={Uri.EscapeDataString(value)}";
        return context;
    }
}
