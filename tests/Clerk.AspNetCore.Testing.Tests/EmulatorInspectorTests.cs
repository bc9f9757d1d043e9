using AngleSharp.Html.Parser;

namespace Clerk.AspNetCore.Testing.Tests;

public sealed class EmulatorInspectorTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private const string Visitor = "aR9Km32lQx7Tz0Pb";
    private const string Hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
    private readonly EmulatorFixture _emulator;

    public EmulatorInspectorTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public async Task Inspector_Empty_SaysSoInEachSection()
    {
        var page = await OpenAsync("/");

        Assert.Contains("No sale yet", page.QuerySelector("#sales")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("No call yet", page.QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_AttributedSale_ShowsInfluenceAndLabel()
    {
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor, labels = new[] { "Home - Trending" } });
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "O-1", visitor = Visitor, products = new[] { new { id = 101, price = 499.95, quantity = 2 } } });

        var page = await OpenAsync("/");
        var row = page.QuerySelectorAll("#sales tr").Last();

        Assert.Contains("O-1", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("101 × 2 @ 499.95", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("yes", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Home - Trending", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_FailedCall_ShowsErrorTypeAndMessage()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "O-2", products = "[101]" });

        var page = await OpenAsync("/");
        var error = Assert.Single(page.QuerySelectorAll("#calls tr.error"));

        Assert.Contains("ParsingError: Invalid Syntax In Argument: products", error.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_VisitorTimeline_ShowsShownClickedBoughtInOrder()
    {
        await _emulator.PostAsync("recommendations/trending", new { key = Key, limit = 2, visitor = Visitor, labels = new[] { "Home - Trending" } });
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor, labels = new[] { "Home - Trending" } });
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "O-3", visitor = Visitor, products = new[] { 101 } });

        var page = await OpenAsync($"/?visitor={Visitor}");
        var steps = page.QuerySelectorAll("#timeline .step").Select(s => s.TextContent);

        Assert.Equal(["shown", "clicked", "bought"], steps);
    }

    [Fact]
    public async Task Inspector_EmailAddresses_AreMaskedInCallsAndTimeline()
    {
        await _emulator.PostAsync("log/sale", new { key = Key, sale = "O-5", visitor = Visitor, email = "buyer@example.com", products = new[] { 101 } });
        await _emulator.PostAsync("log/email", new { key = Key, email = "luke@example.com", visitor = Visitor });

        var (_, html) = await _emulator.GetAsync($"?visitor={Visitor}");
        var page = new HtmlParser().ParseDocument(html);

        Assert.DoesNotContain("buyer@example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("luke@example.com", html, StringComparison.Ordinal);
        Assert.Contains("b***@example.com", page.QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("l***@example.com", page.QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("l***@example.com", page.QuerySelector("#timeline")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspector_HostileLabelsAndArguments_AreEncodedNotMarkup()
    {
        await _emulator.PostAsync("log/click", new { key = Key, product = 101, visitor = Visitor, labels = new[] { Hostile } });
        await _emulator.PostAsync("log/email", new { key = Key, email = Hostile, visitor = "<script>" });

        var (_, html) = await _emulator.GetAsync($"?visitor={Uri.EscapeDataString("<script>")}");
        var page = new HtmlParser().ParseDocument(html);

        Assert.Single(page.QuerySelectorAll("script")); // only the inspector's own refresh script
        Assert.Empty(page.QuerySelectorAll("img"));
        Assert.Contains(Hostile, page.QuerySelector("#calls")!.TextContent, StringComparison.Ordinal);
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> OpenAsync(string path)
    {
        var (response, html) = await _emulator.GetAsync(path.TrimStart('/'));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return new HtmlParser().ParseDocument(html);
    }
}
