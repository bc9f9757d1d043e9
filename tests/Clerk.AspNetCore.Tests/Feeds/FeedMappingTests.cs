using System.Net;
using System.Text.Json;
using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary><c>MapClerkFeeds()</c> maps the feeds whose sources are registered, and says what is missing otherwise.</summary>
public sealed class FeedMappingTests
{
    private static async Task<Exception?> MapAsync(Action<IServiceCollection> services)
    {
        using var host = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    services(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(e => e.MapClerkFeeds());
                }))
            .Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    [Fact]
    public async Task MapClerkFeeds_WithoutAddClerk_ThrowsSayingWhatToCall()
    {
        var exception = await MapAsync(s => s.AddClerkFeeds().AddProducts<CatalogProductSource>());

        var invalid = Assert.IsType<InvalidOperationException>(exception);
        Assert.Contains("builder.Services.AddClerk(builder.Configuration)", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapClerkFeeds_WithoutAddClerkFeeds_ThrowsSayingWhatToCall()
    {
        var exception = await MapAsync(s => s.AddClerk(o => o.PublicKey = "pub"));

        var invalid = Assert.IsType<InvalidOperationException>(exception);
        Assert.Contains("AddClerkFeeds().AddProducts<YourProductSource>()", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapClerkFeeds_NoSourceRegistered_ThrowsListingTheSources()
    {
        var exception = await MapAsync(s =>
        {
            s.AddClerk(o => o.PublicKey = "pub");
            s.AddClerkFeeds();
        });

        var invalid = Assert.IsType<InvalidOperationException>(exception);
        Assert.Contains("found no feed source", invalid.Message, StringComparison.Ordinal);
        Assert.Contains(".AddProducts<TSource>()", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapClerkFeeds_FeedOptionsInvalid_FailsTheStartSayingHowToFixThem()
    {
        var exception = await MapAsync(s =>
        {
            s.AddClerk(o =>
            {
                o.PublicKey = "pub";
                o.Feeds.MaxLimit = 50_000;
            });
            s.AddClerkFeeds().AddProducts<CatalogProductSource>();
            s.AddSingleton<FeedCatalog>();
        });

        Assert.Contains("Clerk:Feeds:MaxLimit must be from 1 to 10000", exception?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CustomerFeedWithoutAddCustomers_IsNotMapped()
    {
        await using var host = await FeedHost.StartAsync(feeds: f => f.AddProducts<CatalogProductSource>().AddOrders<CatalogOrderSource>());

        var (customers, _) = await host.GetTextAsync("customer");
        var (categories, _) = await host.GetTextAsync("category");
        var (orders, _) = await host.GetTextAsync("order");

        Assert.Equal(HttpStatusCode.NotFound, customers);
        Assert.Equal(HttpStatusCode.NotFound, categories);
        Assert.Equal(HttpStatusCode.OK, orders);
    }

    [Fact]
    public async Task Get_EveryFeedRegistered_IsServedInClerksShape()
    {
        await using var host = await FeedHost.StartAsync(feeds: f => f
            .AddProducts<CatalogProductSource>()
            .AddCategories<CatalogCategorySource>()
            .AddOrders<CatalogOrderSource>()
            .AddCustomers<CatalogCustomerSource>());
        host.Catalog.Categories.Add(new ClerkFeedCategory { Id = 5, Name = "Shoes", Url = "/c/shoes", Subcategories = [6] });
        host.Catalog.Orders.Add(new ClerkFeedOrder { Id = "1001", Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Customer = "42", Email = "ada@example.com", Products = [new ClerkSaleLine(7, 9.5m, 2)] });
        host.Catalog.Customers.Add(new ClerkFeedCustomer { Id = "42", Name = "Ada", Email = "ada@example.com" });

        Assert.Equal("""[{"id":5,"name":"Shoes","url":"http://shop.example/c/shoes","subcategories":[6]}]""", (await host.GetTextAsync("category")).Body);
        Assert.Equal("""[{"id":"1001","time":1700000000,"email":"ada@example.com","customer":"42","products":[{"id":7,"quantity":2,"price":9.5}]}]""", (await host.GetTextAsync("order")).Body);
        Assert.Equal("""[{"id":"42","name":"Ada","email":"ada@example.com"}]""", (await host.GetTextAsync("customer")).Body);
    }

    [Fact]
    public async Task Get_OrdersAndCustomersWithoutCollectEmails_HaveNoEmail()
    {
        await using var host = await FeedHost.StartAsync(
            o => o.CollectEmails = false,
            feeds: f => f.AddOrders<CatalogOrderSource>().AddCustomers<CatalogCustomerSource>());
        host.Catalog.Orders.Add(new ClerkFeedOrder { Id = "1001", Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Email = "ada@example.com", Products = [new ClerkSaleLine(7, 9.5m, 2)] });
        host.Catalog.Customers.Add(new ClerkFeedCustomer { Id = "42", Name = "Ada", Email = "ada@example.com" });

        var (_, orders) = await host.GetTextAsync("order");
        var (_, customers) = await host.GetTextAsync("customer");

        Assert.DoesNotContain("ada@example.com", orders, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", customers, StringComparison.Ordinal);
        Assert.Equal("""[{"id":"42","name":"Ada"}]""", customers);
    }

    [Fact]
    public async Task Get_ClerkTurnedOff_Answers404()
    {
        await using var host = await FeedHost.StartAsync(o => o.Enabled = false);
        host.Catalog.AddProducts(1, 3);

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(body);
        Assert.Empty(host.Catalog.Requests);
    }

    [Fact]
    public async Task Get_OtherPathPrefix_MapsTheFeedsThere()
    {
        await using var host = await FeedHost.StartAsync(o => o.Feeds.PathPrefix = "/feeds/clerk/");
        host.Catalog.AddProducts(1, 3);

        var (status, _) = await host.GetTextAsync("product", prefix: "/feeds/clerk");
        var (old, _) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, old);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsServed()
    {
        await using var host = await FeedHost.StartAsync(services: s => s.AddAntiforgery());
        host.Catalog.AddProducts(1, 3);

        var context = await host.SendAsync("/clerk/product", method: "POST", form: FeedHost.Keys);

        Assert.Equal(200, context.Response.StatusCode);
    }

    public static TheoryData<string> HostileTexts => new(Hostile.Values.Select(v => v.Data).Concat(["\u0000\u0001\u001f\u007f", "\ud800", "<img src=x onerror=alert(1)>"]));

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Get_HostileProductText_RoundTripsExactly(string text)
    {
        await using var host = await FeedHost.StartAsync();
        host.Catalog.AddProducts([new ClerkFeedProduct
        {
            Id = 1,
            Name = text,
            Brand = text,
            Sku = text,
            Description = text,
            Fields = new Dictionary<string, object?> { ["note"] = text, ["tags"] = new[] { text } },
        }]);

        var (status, body) = await host.GetTextAsync("product");

        Assert.Equal(HttpStatusCode.OK, status);
        var product = JsonDocument.Parse(body).RootElement[0];
        var expected = text.Contains('\ud800', StringComparison.Ordinal) ? text.Replace('\ud800', '\ufffd') : text;
        Assert.Equal(expected, product.GetProperty("name").GetString());
        Assert.Equal(expected, product.GetProperty("brand").GetString());
        Assert.Equal(expected, product.GetProperty("sku").GetString());
        Assert.Equal(expected, product.GetProperty("note").GetString());
        Assert.Equal(expected, product.GetProperty("tags")[0].GetString());
        Assert.Equal(Clerk.AspNetCore.Feeds.FeedItemWriter.PlainText(expected), product.GetProperty("description").GetString());
        Assert.DoesNotContain("</script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", body, StringComparison.OrdinalIgnoreCase);
    }
}
