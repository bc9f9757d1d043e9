using System.Text.RegularExpressions;
using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.FunctionalTests.WebFarm;

/// <summary>
/// The chain on three instances of the sample shop sharing one PostgreSQL database (Clerk.AspNetCore.EntityFrameworkCore)
/// and one Clerk emulator. These run on real time: they wait for outcomes (a sale arriving), with a deadline, and assert
/// no durations.
/// </summary>
public sealed partial class WebFarmTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> ServerSideSales = new() { ["Clerk:SaleTracking"] = "ServerSide" };

    // The confirmation page renders the sale only when the page sends it; the default with Clerk.js
    // (ServerSideWithClientFallback) sends it from the server at checkout.
    private static readonly Dictionary<string, string> PageSales = new() { ["Clerk:SaleTracking"] = "ClientSide" };

    [Fact]
    public async Task CookielessVisitor_OnEveryInstance_GetsTheSameId()
    {
        await using var farm = await WebFarm.StartAsync();
        using var browser = WebFarm.Browser();

        var ids = new List<string>();
        foreach (var instance in farm.Instances)
        {
            var home = await browser.GetStringAsync(instance.BaseAddress, Cancellation);
            Assert.Contains("<dd id=\"visitor-mode\">Cookieless</dd>", home, StringComparison.Ordinal);
            ids.Add(VisitorId().Match(home).Groups[1].Value);
        }

        Assert.Matches("^[A-Za-z0-9]{16}$", ids[0]);
        Assert.All(ids, id => Assert.Equal(ids[0], id));
    }

    [Fact]
    public async Task Confirmation_200ConcurrentViewsOverThreeInstances_RenderExactlyOneSale()
    {
        await using var farm = await WebFarm.StartAsync(settings: PageSales);
        using var browser = WebFarm.Browser();
        var confirmation = await WebFarm.BuyAsync(browser, farm.Instances[1], 1004, 100401, Cancellation);

        var pages = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            browser.GetStringAsync(new Uri(farm.Instances[i % 3].BaseAddress, confirmation), Cancellation)));

        Assert.All(pages, html => Assert.Contains("id=\"order-number\"", html, StringComparison.Ordinal));
        Assert.Single(pages, html => html.Contains("data-api=\"log/sale\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerSideSale_QueuedOnAnInstanceThatThenCrashes_IsDeliveredByAnotherOnce()
    {
        await using var farm = await WebFarm.StartAsync(settings: ServerSideSales);
        farm.Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));
        using var browser = WebFarm.Browser();

        var confirmation = await WebFarm.BuyAsync(browser, farm.Instances[1], 1005, 100501, Cancellation);
        var order = confirmation.Split('/')[2];

        // The instance that took the order tried, and Clerk failed; then the instance is gone.
        await Eventually(() => farm.Emulator.GetSalesSummary().Failed > 0, "the first instance never tried to send the sale");
        await farm.Instances[1].CrashAsync();
        Assert.Equal(0, farm.Emulator.GetSalesSummary().Distinct);

        farm.Emulator.ClearFaults();
        await Eventually(() => farm.Emulator.GetSalesSummary().Distinct == 1, "no other instance delivered the sale");

        Assert.NotNull(farm.Emulator.GetSale(order));

        // And the outbox knows: marked sent (after the call, so a moment later), nothing left to send.
        await Eventually(
            () => farm.Database.ScalarAsync("SELECT count(*) FROM clerk_outbox WHERE state <> 'sent'").GetAwaiter().GetResult() == 0,
            "the delivered sale was never marked sent");
        // (Only sales count here: the outbox also carries catalog sync, such as an admin's product change.)
        Assert.Equal(1, await farm.Database.ScalarAsync("SELECT count(*) FROM clerk_outbox WHERE kind = 'sale' AND state = 'sent'"));
        Assert.Equal(0, farm.Emulator.GetSalesSummary().Duplicates);
    }

    [Fact]
    public async Task ServerSideSale_TrackedInACheckoutThatRollsBack_IsNeverSent()
    {
        await using var farm = await WebFarm.StartAsync(size: 1, settings: ServerSideSales);
        var shop = farm.Instances[0].Services;

        await CheckoutAsync(shop, "NG-ROLLED-BACK", commit: false);
        await CheckoutAsync(shop, "NG-COMMITTED", commit: true);

        // The committed sale arrives; the rolled-back one was never in the outbox to be sent.
        await Eventually(() => farm.Emulator.GetSale("NG-COMMITTED") is not null, "the committed sale never arrived");
        Assert.Null(farm.Emulator.GetSale("NG-ROLLED-BACK"));
        Assert.Equal(1, farm.Emulator.GetSalesSummary().Received);
        Assert.Equal(0, await farm.Database.ScalarAsync("SELECT count(*) FROM clerk_outbox WHERE order_id = 'NG-ROLLED-BACK'"));
        Assert.Equal(0, await farm.Database.ScalarAsync("SELECT count(*) FROM clerk_sale_claims WHERE order_id = 'NG-ROLLED-BACK'"));
    }

    [Fact]
    public async Task ServerSideSale_ProcessKilledWhileClerkFails_ReachesClerkAfterRestart()
    {
        // The measurement: a sale queued while Clerk answered 500, the process killed (SIGKILL) and started
        // again. The shop here is a process of its own; the emulator lives in an instance in this test's process.
        await using var farm = await WebFarm.StartAsync(size: 1, settings: ServerSideSales);
        farm.Emulator.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));
        using var browser = WebFarm.Browser();

        string order;
        await using (var shop = await ShopProcess.StartAsync(farm))
        {
            order = (await WebFarm.BuyAsync(browser, shop.Instance, 1006, 100601, Cancellation)).Split('/')[2];
            await Eventually(() => farm.Emulator.GetSalesSummary().Failed > 0, "the shop process never tried to send the sale");
            shop.Kill();
        }

        farm.Emulator.ClearFaults();
        await using (var restarted = await ShopProcess.StartAsync(farm))
        {
            await Eventually(() => farm.Emulator.GetSale(order) is not null, "the sale of the killed process never reached Clerk");
        }

        Assert.Equal(1, farm.Emulator.GetSalesSummary().Distinct);
    }

    /// <summary>A checkout as the sample shop's does it: the order and its sale in one transaction, on the request's context.</summary>
    private static async Task CheckoutAsync(IServiceProvider shop, string number, bool commit)
    {
        await using var scope = shop.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<global::SampleShop.Data.ShopDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(Cancellation);
            db.Orders.Add(new global::SampleShop.Data.Order { Number = number, AccessKey = "0", Email = "farm@example.com", ClerkVisitorMode = "Disabled" });
            await db.SaveChangesAsync(Cancellation);
            var result = await scope.ServiceProvider.GetRequiredService<IClerkTracker>().TrackSaleAsync(
                new ClerkSale(number, [new ClerkSaleLine(1001, 99m, 1)]), Cancellation);
            Assert.Equal(ClerkSaleTrackingResult.Queued, result);
            if (commit)
            {
                await transaction.CommitAsync(Cancellation);
            }
            else
            {
                await transaction.RollbackAsync(Cancellation);
            }
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    [Fact]
    public async Task Orders_WhileClerkFailsHalfTheCallsAndAnInstanceCrashes_EveryOneArrives()
    {
        var orders = int.TryParse(Environment.GetEnvironmentVariable("CLERK_FARM_ORDERS"), out var n) ? n : 1000;
        await using var farm = await WebFarm.StartAsync(settings: ServerSideSales);
        farm.Emulator.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(
            0.5,
            [ClerkEmulatorFaultKind.InternalError, ClerkEmulatorFaultKind.TooManyRequests, ClerkEmulatorFaultKind.Delay, ClerkEmulatorFaultKind.DropConnection],
            seed: 20261201)
        {
            RetryAfter = TimeSpan.FromMilliseconds(200),
            Delay = TimeSpan.FromSeconds(2),   // past the farm's 1 s ApiTimeout: the client gives up, Clerk still stores it
        });

        // Eight shoppers at a time, round robin over the instances; the third instance crashes half-way. A shopper
        // whose request dies with it starts again on another instance, as a load balancer would send them; the
        // checkout that died may still have placed its order, so the database, not the shoppers, says what was sold.
        var next = -1;
        var crashed = 0;
        async Task Shopper()
        {
            using var browser = WebFarm.Browser();
            int i;
            while ((i = Interlocked.Increment(ref next)) < orders)
            {
                if (i == orders / 2 && Interlocked.Exchange(ref crashed, 1) == 0)
                {
                    await farm.Instances[2].CrashAsync();
                }

                for (var attempt = 0; ; attempt++)
                {
                    var instance = farm.Instances[Volatile.Read(ref crashed) == 1 ? (i + attempt) % 2 : (i + attempt) % 3];
                    try
                    {
                        await WebFarm.BuyAsync(browser, instance, 1001 + (i % 7), ((1001 + (i % 7)) * 100) + 1, Cancellation);
                        break;
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && instance == farm.Instances[2] && attempt < 3)
                    {
                    }
                    catch (Xunit.Sdk.XunitException) when (instance == farm.Instances[2] && Volatile.Read(ref crashed) == 1 && attempt < 3)
                    {
                        // The in-process crash disposes the instance's services under a request still running there,
                        // which can answer 500 before its connection goes (a real crash, SIGKILL, cannot): that request
                        // died with the instance too. Any other instance's 500 still fails the test.
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Shopper, Cancellation)));
        var placed = await farm.Database.ListAsync("SELECT \"Number\" FROM \"Orders\"");
        Assert.InRange(placed.Count, orders, orders + 8);

        await Eventually(() => farm.Emulator.GetSalesSummary().Distinct >= placed.Count, "not every order reached Clerk", TimeSpan.FromMinutes(3));
        var summary = farm.Emulator.GetSalesSummary();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{placed.Count} orders on 3 instances (one crashed half-way), half of log/sale failing: Clerk received {summary.Received} sale calls, "
            + $"{summary.Distinct} distinct sales, {summary.Duplicates} duplicates, {summary.Failed} failed calls.");
        await ReportAsync(placed.Count, summary);

        Assert.Equal(placed.Count, summary.Distinct);
        Assert.All(placed, order => Assert.NotNull(farm.Emulator.GetSale(order)));
    }

    private static async Task ReportAsync(int orders, ClerkEmulatorSalesSummary summary)
    {
        var folder = Environment.GetEnvironmentVariable("TEST_RESULTS_DIR") ?? Path.Combine(Path.GetTempPath(), "clerk-test-results");
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(
            Path.Combine(folder, "web-farm.log"),
            $"{DateTimeOffset.UtcNow:O} orders={orders} received={summary.Received} distinct={summary.Distinct} duplicates={summary.Duplicates} failed={summary.Failed}{Environment.NewLine}",
            Cancellation);
    }

    private static async Task Eventually(Func<bool> condition, string failure, TimeSpan? deadline = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        timeout.CancelAfter(deadline ?? Deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{failure} within {(deadline ?? Deadline).TotalSeconds} s.");
            }
        }
    }

    [GeneratedRegex("<dd id=\"visitor-id\">([^<]*)</dd>")]
    private static partial Regex VisitorId();
}
