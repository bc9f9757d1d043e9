using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>A shopper on the sample shop: keeps cookies like a browser, follows the route contract by hand.</summary>
internal sealed class SampleShopClient(HttpClient client)
{
    private string? _token;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public HttpClient Http => client;

    public async Task<IDocument> GetPageAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path, Cancellation);
        Assert.Equal(expected, response.StatusCode);
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(Cancellation));
    }

    /// <summary>Posts a form as the shop's own page would (with its antiforgery token) and returns where the 303 sends the browser.</summary>
    public async Task<string> PostAsync(string path, params (string Name, string Value)[] fields)
    {
        using var response = await SendFormAsync(path, withToken: true, fields);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Posts a form, with the token of the shop's own forms or, as a page of another site would, without.</summary>
    public async Task<HttpResponseMessage> SendFormAsync(string path, bool withToken, params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();
        if (withToken)
        {
            // The client keeps the antiforgery cookie, so one token serves all of this shopper's forms.
            _token ??= (await ShopFormToken.FetchAsync(client)).Value;
            all.Add(KeyValuePair.Create(ShopFormToken.FieldName, _token));
        }

        using var content = new FormUrlEncodedContent(all);
        return await client.PostAsync(path, content, Cancellation);
    }

    public Task<string> AddToCartAsync(long productId, long? variantId, int quantity, string market = "")
    {
        var fields = new List<(string, string)> { ("productId", Text(productId)), ("quantity", Text(quantity)) };
        if (variantId is { } variant)
        {
            fields.Add(("variantId", Text(variant)));
        }

        return PostAsync(market + "/cart/add", [.. fields]);
    }

    /// <summary>Buys one product and returns the confirmation page's path; in a market (<c>/en</c>), under it.</summary>
    public async Task<string> BuyAsync(long productId, long variantId, int quantity, string email = "buyer@example.com", bool createAccount = false, string market = "")
    {
        Assert.Equal(market + "/cart", await AddToCartAsync(productId, variantId, quantity, market));
        var confirmation = await PostAsync(market + "/checkout", ("email", email), ("createAccount", createAccount ? "true" : "false"));
        Assert.Matches("^" + market + "/orders/NG-[0-9]+/confirmation$", confirmation);
        return confirmation;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
