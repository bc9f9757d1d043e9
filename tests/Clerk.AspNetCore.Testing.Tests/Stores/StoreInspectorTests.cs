using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Clerk.AspNetCore.Testing.Tests.Stores;

/// <summary>The inspector with several stores: every store listed, one store looked at a time, every value encoded.</summary>
public sealed class StoreInspectorTests : IClassFixture<StoresEmulator>
{
    private const string Key = StoresEmulator.Key;
    private const string KeyEn = StoresEmulator.KeyEn;
    private const string Visitor = "aR9Km32lQx7Tz0Pb";
    private const string Hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
    private readonly StoresEmulator _emulator;

    public StoreInspectorTests(StoresEmulator emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public async Task Inspector_TwoStores_ListsBothWithTheirCountsAndLinks()
    {
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-1", products = new[] { 201 } });
        await _emulator.PostAsync("log/product", new { key = KeyEn, product = 202 });

        var page = await OpenAsync("/");
        var rows = page.QuerySelectorAll("#stores tr").Skip(1).Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();

        Assert.Equal([$"{Key} default", "0", "0", "6", "none"], rows[0]);
        Assert.Equal([KeyEn, "2", "1", "3", "none"], rows[1]);
        Assert.Equal(["?store=demo-public-key", "?store=demo-public-key-en"], page.QuerySelectorAll("#stores td a").Select(a => a.GetAttribute("href")));
        Assert.Equal(Key, page.QuerySelector("#current-store")!.TextContent);
    }

    [Fact]
    public async Task Inspector_NoStoreQuery_ShowsTheDefaultStoreOnly()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-1", products = new[] { 101 } });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-2", products = new[] { 201 } });

        var page = await OpenAsync("/");

        Assert.Contains("DK-1", page.QuerySelector("#sales")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("EN-2", page.QuerySelector("#content")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Catalog (6 products, IDs: integers)", page.QuerySelector("#catalog h2")!.TextContent);
    }

    [Fact]
    public async Task Inspector_EnStoreQuery_ShowsThatStoresSalesCallsAndCatalogOnly()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "DK-3", products = new[] { 101 } });
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-3", products = new[] { 201 } });

        var page = await OpenAsync($"/?store={KeyEn}");

        Assert.Equal(KeyEn, page.QuerySelector("#current-store")!.TextContent);
        Assert.Contains("EN-3", page.QuerySelector("#sales")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("EN-3", page.QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("DK-3", page.QuerySelector("#content")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Catalog (3 products, IDs: integers)", page.QuerySelector("#catalog h2")!.TextContent);
        Assert.Equal("page", page.QuerySelectorAll("#stores a")[1].GetAttribute("aria-current"));
    }

    [Fact]
    public async Task Inspector_VisitorLinkInAStore_KeepsTheStore()
    {
        await _emulator.PostAsync("log/click", new { key = KeyEn, product = 201, visitor = Visitor, labels = new[] { "Home - Trending" } });
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor, labels = new[] { "Home - Trending" } });

        var link = (await OpenAsync($"/?store={KeyEn}")).QuerySelector("#visitors a")!.GetAttribute("href")!;
        var timeline = await OpenAsync(link);

        Assert.Equal($"?store={KeyEn}&visitor={Visitor}", link);
        Assert.Equal(["clicked"], timeline.QuerySelectorAll("#timeline .step").Select(s => s.TextContent));
        Assert.Contains("product 201", timeline.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_EmailInTheEnStore_IsMasked()
    {
        await _emulator.PostAsync("log/sale", new { key = KeyEn, sale = "EN-4", email = "buyer@example.com", visitor = Visitor, products = new[] { 201 } });

        var (_, html) = await _emulator.GetAsync($"?store={KeyEn}&visitor={Visitor}");

        Assert.DoesNotContain("buyer@example.com", html, StringComparison.Ordinal);
        Assert.Contains("b***@example.com", new HtmlParser().ParseDocument(html).QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_UnknownStore_Answers404ListingTheStores()
    {
        var (response, html) = await _emulator.GetAsync($"?store={Uri.EscapeDataString(Hostile)}");
        var page = new HtmlParser().ParseDocument(html);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(Hostile, page.QuerySelector("#unknown-store")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.QuerySelectorAll("#stores td a").Length);
        Assert.Null(page.QuerySelector("#calls"));
        AssertNoInjectedMarkup(page);
    }

    [Fact]
    public async Task Inspector_HostileStoreKeyAndValues_AreEncodedNotMarkup()
    {
        await using var emulator = await ClerkEmulator.StartAsync(
            o => o.AdditionalStores.Add(new ClerkEmulatorStoreOptions(Hostile, "hostile-private-key")), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        await http.PostAsJsonAsync("v2/log/click", new { key = Hostile, product = 1, visitor = Visitor, labels = new[] { Hostile } }, TestContext.Current.CancellationToken);
        await http.PostAsJsonAsync("v2/log/sale", new { key = Hostile, sale = Hostile, visitor = Visitor, products = new[] { 1 } }, TestContext.Current.CancellationToken);

        var overview = new HtmlParser().ParseDocument(await http.GetStringAsync("", TestContext.Current.CancellationToken));
        var storeLink = overview.QuerySelectorAll("#stores td a")[2].GetAttribute("href")!;
        var store = new HtmlParser().ParseDocument(await http.GetStringAsync(storeLink, TestContext.Current.CancellationToken));
        var visitorLink = store.QuerySelector("#visitors a")!.GetAttribute("href")!;
        var timeline = new HtmlParser().ParseDocument(await http.GetStringAsync(visitorLink, TestContext.Current.CancellationToken));

        Assert.Equal(Hostile, overview.QuerySelectorAll("#stores td code")[2].TextContent);
        Assert.Equal(Hostile, store.QuerySelector("#current-store")!.TextContent);
        Assert.Contains(Hostile, store.QuerySelector("#sales")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(Hostile, timeline.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(Hostile, Assert.Single(emulator.GetState(Hostile).GetSales()).Store);
        AssertNoInjectedMarkup(overview);
        AssertNoInjectedMarkup(store);
        AssertNoInjectedMarkup(timeline);
    }

    private static void AssertNoInjectedMarkup(IHtmlDocument page)
    {
        Assert.Single(page.QuerySelectorAll("script")); // only the inspector's own refresh script
        Assert.Empty(page.QuerySelectorAll("img"));
    }

    private async Task<IHtmlDocument> OpenAsync(string path)
    {
        var (response, html) = await _emulator.GetAsync(path.TrimStart('/'));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return new HtmlParser().ParseDocument(html);
    }
}
