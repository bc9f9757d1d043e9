using AngleSharp.Html.Parser;
using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>
/// The antiforgery pair a browser gets with one of the shop's forms: the token in the form and the cookie it must come
/// back with. A test that posts a form as the shop's own page would sends both.
/// </summary>
internal sealed record ShopFormToken(string? Cookie, string Value)
{
    public const string FieldName = "__RequestVerificationToken";
    public const string CookieName = "shop_antiforgery";

    /// <summary>
    /// Reads the token from a page's form. <see cref="Cookie"/> is the <c>Cookie</c> header value for a client that keeps
    /// no cookies, or <see langword="null"/> when the client already had the cookie.
    /// </summary>
    public static async Task<ShopFormToken> FetchAsync(HttpClient client, string page = "/privacy")
    {
        using var response = await client.GetAsync(page, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var input = new HtmlParser().ParseDocument(html).QuerySelector($"form[method=post] input[name={FieldName}]");
        Assert.NotNull(input);
        var cookie = SetCookies.Find(response, CookieName);
        return new ShopFormToken(cookie is null ? null : $"{CookieName}={cookie.Value}", input.GetAttribute("value")!);
    }
}
