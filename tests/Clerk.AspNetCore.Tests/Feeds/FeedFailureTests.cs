using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>A source that fails: 500 before the first item, a broken response after it; never a short page that looks whole.</summary>
public sealed class FeedFailureTests
{
    [Fact]
    public async Task Get_SourceFailsBeforeTheFirstItem_Answers500WithAGenericMessageAndLogsIt()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 5);
        host.Catalog.FailAt = 0;

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal(500, error.GetProperty("code").GetInt32());
        Assert.Equal("The feed failed to read this page; the shop's log has the details (event 73).", error.GetProperty("message").GetString());
        Assert.DoesNotContain("db.internal", body, StringComparison.Ordinal);
        var record = await host.Logs.WaitForEventAsync(73, "the failure logged");
        Assert.IsType<InvalidOperationException>(record.Exception);
        Assert.Contains("CatalogProductSource", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SourceFailsInDevelopment_Answers500WithTheExceptionsMessage()
    {
        await using var host = await FeedHost.StartAsync(environment: "Development");
        host.Catalog.AddProducts(1, 5);
        host.Catalog.FailAt = 0;

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("The catalog database is down (item 0 of page 1)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FirstItemCannotBeWritten_Answers500SayingWhy()
    {
        await using var host = await FeedHost.StartAsync(environment: "Development");
        host.Catalog.AddProducts([new ClerkFeedProduct { Id = 1, Name = "A", Fields = new Dictionary<string, object?> { ["price"] = 1 } }]);

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var message = JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("The extra field 'price' has the name of a standard field", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SourceFailsAfterItemsWereWritten_AbortsTheResponseAndLogsIt()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 50);
        host.Catalog.FailAt = 30;
        using var client = host.CreateClient();

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetStringAsync($"/clerk/product?{FeedHost.Keys}", TestContext.Current.CancellationToken));

        var record = await host.Logs.WaitForEventAsync(74, "the abort logged");
        Assert.Contains("after 30 items were written", record.Message, StringComparison.Ordinal);
        Assert.Contains("the response was aborted", record.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(record.Exception);
    }

    [Fact]
    public async Task Get_SourceReturnsMoreThanTheLimit_WritesOnlyTheLimitAndSaysSoInDevelopment()
    {
        await using var host = await FeedHost.StartAsync(environment: "Development");
        host.Catalog.AddProducts(1, 20);
        host.Catalog.Extra = 5;

        var (status, body) = await host.GetTextAsync("product", "limit=10");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10, JsonDocument.Parse(body).RootElement.GetArrayLength());
        var record = await host.Logs.WaitForEventAsync(75, "the extra items reported");
        Assert.Contains("more than limit=10 items for page 1", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SourceReturnsMoreThanTheLimitInProduction_WritesOnlyTheLimitQuietly()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 20);
        host.Catalog.Extra = 5;

        var (_, body) = await host.GetTextAsync("product", "limit=10");

        Assert.Equal(10, JsonDocument.Parse(body).RootElement.GetArrayLength());
        Assert.DoesNotContain(host.Logs.ClerkRecords(), r => r.Id.Id == 75);
    }

    [Fact]
    public async Task Get_PageMixesIdTypes_IsLoggedAndServedInProduction()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts([new ClerkFeedProduct { Id = 1, Name = "A" }, new ClerkFeedProduct { Id = "2", Name = "B" }, new ClerkFeedProduct { Id = "3", Name = "C" }]);

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, JsonDocument.Parse(body).RootElement.GetArrayLength());
        var record = await host.Logs.WaitForEventAsync(76, "the mix logged");
        Assert.Contains("product 1 is an integer, but product \"2\" is a string", record.Message, StringComparison.Ordinal);
        Assert.Single(host.Logs.ClerkRecords(), r => r.Id.Id == 76);
    }

    [Fact]
    public async Task Get_PageMixesIdTypesInDevelopment_FailsThePage()
    {
        await using var host = await FeedHost.StartAsync(environment: "Development");
        host.Catalog.AddProducts([new ClerkFeedProduct { Id = 1, Name = "A" }, new ClerkFeedProduct { Id = "2", Name = "B" }]);
        using var client = host.CreateClient();

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetStringAsync($"/clerk/product?{FeedHost.Keys}", TestContext.Current.CancellationToken));

        await host.Logs.WaitForEventAsync(76, "the mix logged");
        await host.Logs.WaitForEventAsync(74, "the page aborted");
    }

    [Fact]
    public async Task Get_CategoriesOfMixedTypes_AreReported()
    {
        await using var host = await FeedHost.StartAsync(feeds: f => f.AddCategories<CatalogCategorySource>());
        host.Catalog.Categories.AddRange([new ClerkFeedCategory { Id = 1, Name = "Shoes", Subcategories = ["2"] }]);

        await host.GetTextAsync("category");

        var record = await host.Logs.WaitForEventAsync(76, "the mix logged");
        Assert.Contains("category 1 is an integer, but category \"2\" is a string", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Pages_AreCountedWithTheirItemsAndTraced()
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts(1, 25);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var items = new MetricCollector<long>(factory, ClerkDiagnostics.MeterName, "clerk.feed.items");
        using var pages = new MetricCollector<long>(factory, ClerkDiagnostics.MeterName, "clerk.feed.pages");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ClerkDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        // A limit no other test uses: the listener hears every host in the process.
        await host.GetTextAsync("product", "limit=23");
        await host.GetTextAsync("product", "page=2&limit=23");

        Assert.Equal(25, items.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, pages.GetMeasurementSnapshot().Count(m => (string?)m.Tags["clerk.feed.outcome"] == "served"));
        Activity[] feedSpans;
        lock (spans)
        {
            feedSpans = [.. spans.Where(s => s.OperationName == "clerk.feed" && s.GetTagItem("clerk.feed.limit") is 23)];
        }

        Assert.Equal(2, feedSpans.Length);
        Assert.Equal([23, 2], feedSpans.Select(s => (int)s.GetTagItem("clerk.feed.items")!).Order().Reverse());
        Assert.All(feedSpans, s => Assert.Equal("product", s.GetTagItem("clerk.feed")));
    }
}
