using System.Net;
using System.Text.RegularExpressions;
using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.FunctionalTests.WebFarm;

/// <summary>
/// Three instances of the sample shop behind an imaginary load balancer: one PostgreSQL database and one Clerk
/// emulator (hosted by the first instance) shared by all, as scripts/web-farm.sh runs them. Short retry delays and
/// leases, so that a farm recovers from failures in a test's time.
/// </summary>
internal sealed partial class WebFarm : IAsyncDisposable
{
    private readonly FarmDatabase _database;
    private readonly List<FarmInstance> _instances;

    private WebFarm(FarmDatabase database, List<FarmInstance> instances)
    {
        _database = database;
        _instances = instances;
    }

    public IReadOnlyList<FarmInstance> Instances => _instances;

    public FarmDatabase Database => _database;

    /// <summary>The farm's one emulator, in the first instance.</summary>
    public ClerkEmulatorState Emulator => _instances[0].Services.GetRequiredService<ClerkEmulatorState>();

    /// <summary>Every instance's settings: retries, polls and leases in fractions of a second instead of seconds and minutes.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Clerk:Delivery:FirstRetryDelay"] = "00:00:00.100",
        ["Clerk:Delivery:MaxRetryDelay"] = "00:00:00.400",
        ["Clerk:Delivery:OutboxPollInterval"] = "00:00:00.100",
        ["Clerk:Delivery:OutboxLeaseDuration"] = "00:00:03",
        ["Clerk:ApiTimeout"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public static async Task<WebFarm> StartAsync(int size = 3, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var database = await FarmDatabase.CreateAsync();
        var instances = new List<FarmInstance>();
        try
        {
            // The first creates and seeds the database and hosts the emulator; the others start on both.
            instances.Add(new FarmInstance(database.ConnectionString, sharedEmulator: null, all));
            for (var i = 1; i < size; i++)
            {
                instances.Add(new FarmInstance(database.ConnectionString, instances[0].EmulatorAddress, all));
            }
        }
        catch
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }

        return new WebFarm(database, instances);
    }

    /// <summary>A browser: cookies kept (and sent to every instance, as they share the host 127.0.0.1), no redirects followed.</summary>
    public static HttpClient Browser(string userAgent = "Mozilla/5.0 (X11; Linux x86_64) WebFarmTest/1.0")
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    /// <summary>
    /// Buys one product on <paramref name="instance"/> as the shop's pages would (antiforgery token, cart, checkout)
    /// and returns the confirmation page's path.
    /// </summary>
    public static async Task<string> BuyAsync(HttpClient browser, IShopInstance instance, long productId, long variantId, CancellationToken cancellation)
    {
        var token = await TokenAsync(browser, instance, cancellation);
        await PostAsync(browser, new Uri(instance.BaseAddress, "/cart/add"), cancellation,
            ("productId", productId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("variantId", variantId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("quantity", "1"),
            ("__RequestVerificationToken", token));
        var confirmation = await PostAsync(browser, new Uri(instance.BaseAddress, "/checkout"), cancellation,
            ("email", "farm@example.com"),
            ("__RequestVerificationToken", token));
        Assert.Matches("^/orders/NG-[0-9]+/confirmation$", confirmation);
        return confirmation;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private static async Task<string> TokenAsync(HttpClient browser, IShopInstance instance, CancellationToken cancellation)
    {
        var html = await browser.GetStringAsync(new Uri(instance.BaseAddress, "/privacy"), cancellation);
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "The privacy page has no form with an antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<string> PostAsync(HttpClient browser, Uri address, CancellationToken cancellation, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        using var response = await browser.PostAsync(address, content, cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"POST {address.AbsolutePath} answered {(int)response.StatusCode}, not 303.");
        return response.Headers.Location!.OriginalString;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}

/// <summary>An instance of the shop, where a browser reaches it.</summary>
internal interface IShopInstance
{
    Uri BaseAddress { get; }
}

/// <summary>A shop instance in a process of its own (<see cref="ShopProcess"/>).</summary>
internal sealed record ProcessInstance(Uri BaseAddress) : IShopInstance;
