using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>Arguments from the query or a form body; a bad one gets 400 saying what is wrong and what is accepted.</summary>
public sealed class FeedArgumentTests
{
    private static string ErrorMessage(string body, int code)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        return error.GetProperty("message").GetString()!;
    }

    public static TheoryData<string, string, string> BadArguments => new()
    {
        { "product", "page=0", "'page' must be a whole number from 1 (the first page) up; it was '0'." },
        { "product", "page=abc", "'page' must be a whole number from 1 (the first page) up; it was 'abc'." },
        { "product", "page=-1", "it was '-1'" },
        { "product", "page=1.5", "it was '1.5'" },
        { "product", "page=99999999999", "it was '99999999999'" },
        { "product", "limit=0", "'limit' must be a whole number from 1 to 1000 (Clerk:Feeds:MaxLimit); it was '0'. Leave it out for 100 items per page." },
        { "product", "limit=1000000", "'limit' must be a whole number from 1 to 1000 (Clerk:Feeds:MaxLimit); it was '1000000'." },
        { "product", "limit=-5", "it was '-5'" },
        { "product", "limit=ten", "it was 'ten'" },
        { "product", "page=2147483647&limit=1000", "'page' 2147483647 with 'limit' 1000 starts after item 2147483646000, past the end of any feed" },
        { "product", "page=1&page=2", "'page' is given more than once" },
        { "order", "start_date=yesterday", "'start_date' must be unix time in seconds (1700000000) or an ISO 8601 date or date and time (2024-01-31, 2024-01-31T12:00:00Z" },
        { "order", "end_date=31%2F01%2F2024", "'end_date' must be unix time in seconds" },
        { "order", "start_date=99999999999999", "'start_date' must be unix time in seconds" },
        { "order", "start_date=1700000000&end_date=1600000000", "'end_date' (2020-09-13T12:26:40.0000000+00:00) is before 'start_date' (2023-11-14T22:13:20.0000000+00:00)" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Get_BadArgument_Answers400SayingWhatIsWrongAndAccepted(string feed, string query, string message)
    {
        await using var host = await FeedHost.StartAsync(feeds: f => f.AddProducts<CatalogProductSource>().AddOrders<CatalogOrderSource>());
        host.Catalog.AddProducts(1, 3);

        var (status, body) = await host.GetTextAsync(feed, query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, ErrorMessage(body, 400), StringComparison.Ordinal);
        Assert.Empty(host.Catalog.Requests);
    }

    [Fact]
    public async Task Get_BadArgumentWithoutKeys_Answers403NotTheArgumentsProblem()
    {
        await using var host = await FeedHost.StartAsync();

        var (status, body) = await host.GetTextAsync("product", "page=abc", keys: "key=wrong");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain("page", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LimitUpToTheConfiguredMax_IsAccepted()
    {
        await using var host = await FeedHost.StartAsync(o => o.Feeds.MaxLimit = 5000);
        host.Catalog.AddProducts(1, 3);

        var (status, _) = await host.GetTextAsync("product", "limit=5000");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5000, Assert.Single(host.Catalog.Requests).Request.Limit);
    }

    [Fact]
    public async Task Post_FormBody_TakesKeysAndArgumentsFromIt()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 10);
        using var client = host.CreateClient();

        using var response = await client.PostAsync(
            "/clerk/product",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = FeedHost.PublicKey, ["private_key"] = FeedHost.PrivateKey, ["page"] = "2", ["limit"] = "3" }),
            TestContext.Current.CancellationToken);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([4L, 5L, 6L], JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Post_MultipartBody_TakesKeysAndArgumentsFromIt()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 10);
        using var client = host.CreateClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(FeedHost.PublicKey), "key" },
            { new StringContent(FeedHost.PrivateKey), "private_key" },
            { new StringContent("4"), "limit" },
        };

        using var response = await client.PostAsync("/clerk/product", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, Assert.Single(host.Catalog.Requests).Request.Limit);
    }

    [Fact]
    public async Task Post_FormAndQuery_TheFormWins()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 10);
        using var client = host.CreateClient();

        using var response = await client.PostAsync(
            $"/clerk/product?{FeedHost.Keys}&limit=9",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["limit"] = "2" }),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Assert.Single(host.Catalog.Requests).Request.Limit);
    }

    [Fact]
    public async Task Post_BodyOver16KiB_Answers413WithoutReadingIt()
    {
        await using var host = await FeedHost.StartAsync();
        using var client = host.CreateClient();
        using var content = new StringContent("key=" + new string('a', 20_000), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await client.PostAsync($"/clerk/product?{FeedHost.Keys}", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("over 16 KiB", ErrorMessage(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), 413), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChunkedBodyOver16KiB_Answers413()
    {
        await using var host = await FeedHost.StartAsync();

        var context = await host.SendAsync("/clerk/product", method: "POST", form: FeedHost.Keys + "&pad=" + new string('a', 20_000));

        Assert.Equal(413, context.Response.StatusCode);
    }

    [Fact]
    public async Task Get_Orders_PassesTheDatesToTheSource()
    {
        await using var host = await FeedHost.StartAsync(feeds: f => f.AddOrders<CatalogOrderSource>());
        host.Catalog.Orders.AddRange(
        [
            new ClerkFeedOrder { Id = "1", Time = new DateTimeOffset(2024, 1, 30, 23, 0, 0, TimeSpan.Zero), Products = [new ClerkSaleLine(1, 1m, 1)] },
            new ClerkFeedOrder { Id = "2", Time = new DateTimeOffset(2024, 1, 31, 12, 0, 0, TimeSpan.Zero), Products = [new ClerkSaleLine(1, 1m, 1)] },
            new ClerkFeedOrder { Id = "3", Time = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), Products = [new ClerkSaleLine(1, 1m, 1)] },
        ]);

        var (status, body) = await host.GetTextAsync("order", "start_date=2024-01-31&end_date=1706745600");

        Assert.Equal(HttpStatusCode.OK, status);
        var (_, request) = Assert.Single(host.Catalog.Requests);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero), request.StartDate);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), request.EndDate);
        Assert.Equal(["2"], JsonDocument.Parse(body).RootElement.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("1700000000", "2023-11-14T22:13:20+00:00")]
    [InlineData("2024-01-31", "2024-01-31T00:00:00+00:00")]
    [InlineData("2024-01-31T12:30:00Z", "2024-01-31T12:30:00+00:00")]
    [InlineData("2024-01-31T12:30:00+02:00", "2024-01-31T10:30:00+00:00")]
    [InlineData("2024-01-31 12:30", "2024-01-31T12:30:00+00:00")]
    [InlineData("2024-01-31T12:30:00.250Z", "2024-01-31T12:30:00.25+00:00")]
    public void Date_UnixSecondsOrIso8601_IsRead(string value, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Clerk.AspNetCore.Feeds.FeedQuery.Date(value));
    }

    [Theory]
    [InlineData("01/31/2024")]
    [InlineData("31.01.2024")]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    public void Date_OtherFormats_AreRefused(string value)
    {
        Assert.Null(Clerk.AspNetCore.Feeds.FeedQuery.Date(value));
    }

    [Fact]
    public async Task Get_DatesOnTheProductFeed_AreIgnored()
    {
        await using var host = await FeedHost.StartAsync();

        var (status, _) = await host.GetTextAsync("product", "start_date=nonsense");

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
