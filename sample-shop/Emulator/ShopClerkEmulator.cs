using Clerk.AspNetCore;
using Clerk.AspNetCore.Testing;
using SampleShop.Markets;

namespace SampleShop.Emulator;

/// <summary>
/// Runs the shop on the Clerk emulator when no real Clerk key is configured, so that it works offline: the emulator
/// is mapped at <see cref="Path"/>, and Clerk.js and the API point at it. Only in Development, or where
/// <c>ClerkEmulator:Enabled=true</c> says so (tests, CI, demos): anywhere else a missing key stops the shop at start,
/// so that one missing secret can never send a live shop's tracking to a fake. Set <c>Clerk:PublicKey</c> (and
/// <c>Clerk:PrivateKey</c>) to talk to Clerk.io instead.
/// <para>
/// Several instances of the shop (a web farm, <c>scripts/web-farm.sh</c>) share one emulator, so that it sees every
/// call as Clerk would: one instance hosts it, and the others set <c>ClerkEmulator:Url</c> to its base address (such as
/// <c>http://127.0.0.1:5081/clerk-emulator</c>). With that setting the shop maps no emulator of its own; Clerk.js and
/// the API point at <c>{Url}/clerk.js</c> and <c>{Url}/v2</c>, with the demo keys, under the same Development or
/// opt-in rule.
/// </para>
/// </summary>
public static class ShopClerkEmulator
{
    public const string Path = "/clerk-emulator";

    /// <summary>The opt-in that runs the shop on the emulator outside Development.</summary>
    public const string EnabledSetting = "ClerkEmulator:Enabled";

    /// <summary>The base address of another instance's emulator, to use instead of mapping one here.</summary>
    public const string UrlSetting = "ClerkEmulator:Url";

    /// <summary>Sets the shop up on an emulator when it has no real key.</summary>
    /// <returns>Whether this instance must map the emulator (false too when it uses another instance's).</returns>
    public static bool AddClerkEmulatorWithoutRealKey(this WebApplicationBuilder builder)
    {
        // A real key wins (one store, or one per market under Clerk:Stores); and a shop with Clerk turned off (the kill
        // switch) needs neither a key nor the emulator.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Clerk:PublicKey"])
            || builder.Configuration.GetSection("Clerk:Stores").GetChildren().Any()
            || builder.Configuration.GetValue("Clerk:Enabled", defaultValue: true) is false)
        {
            return false;
        }

        var optedIn = builder.Configuration.GetValue<bool>(EnabledSetting);
        if (!optedIn && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Clerk:PublicKey is not set, and the shop runs in the '{builder.Environment.EnvironmentName}' environment. "
                + "Set Clerk:PublicKey (and Clerk:PrivateKey) to your Clerk.io store's keys, for example as the environment "
                + $"variables Clerk__PublicKey and Clerk__PrivateKey; or, to run on the Clerk emulator (tests, CI, demos, never a "
                + $"public shop), set {EnabledSetting}=true (ClerkEmulator__Enabled=true); or turn Clerk off with Clerk:Enabled=false. In Development the emulator runs without it.");
        }

        if (builder.Configuration[UrlSetting] is { Length: > 0 } shared)
        {
            UseSharedEmulator(builder, shared);
            return false;
        }

        // The emulator learns the shop's catalog as Clerk does: its importer pulls the shop's data feeds once the shop
        // listens (EmulatorCatalogImport), and real-time sync keeps it current.
        builder.Services.AddClerkEmulator(emulator => emulator.AllowOutsideDevelopment = optedIn);
        builder.Services.AddHostedService<EmulatorCatalogImport>();
        var self = OwnAddress(builder.Configuration);
        builder.Services.AddSingleton(new ShopAddress(self));
        builder.Services.PostConfigure<ClerkOptions>(options =>
        {
            UseDemoStores(options);
            options.ClerkJsUrl = $"{Path}/clerk.js";

            // Server-side calls need an absolute address: the shop's own first URL. Product URLs in real-time sync of a
            // change made outside a request (the seeding of the catalog) are made absolute with it too.
            options.ApiBaseUrl = new Uri($"{self}{Path}/v2");
            options.Feeds.BaseUrl ??= new Uri(self + "/");
        });
        return true;
    }

    /// <summary>Points Clerk at another instance's emulator: the browser loads its Clerk.js, the server calls its API.</summary>
    private static void UseSharedEmulator(WebApplicationBuilder builder, string url)
    {
        if (!Uri.TryCreate(url.TrimEnd('/'), UriKind.Absolute, out var emulator) || emulator.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException(
                $"{UrlSetting} must be the absolute http(s) address of another shop instance's emulator, such as "
                + $"'http://127.0.0.1:5081{Path}'; it was '{url}'. Leave it out to run an emulator in this instance.");
        }

        var root = emulator.ToString().TrimEnd('/');
        builder.Services.PostConfigure<ClerkOptions>(options =>
        {
            UseDemoStores(options);
            options.ClerkJsUrl = $"{root}/clerk.js";
            options.ApiBaseUrl = new Uri($"{root}/v2");
        });
    }

    /// <summary>
    /// The emulator's two demo stores, one per market: Denmark (<c>dk</c>, the default) on the demo keys, and the
    /// English market under <c>/en</c> (<c>en</c>) on the second pair, each with its language and currency symbol.
    /// </summary>
    private static void UseDemoStores(ClerkOptions options)
    {
        options.PublicKey = null;
        options.PrivateKey = null;
        options.Stores.Clear();
        options.Stores[ShopMarket.Denmark.Name] = new ClerkStoreOptions
        {
            PublicKey = ClerkEmulatorOptions.DemoPublicKey,
            PrivateKey = ClerkEmulatorOptions.DemoPrivateKey,
            Language = ShopMarket.Denmark.ClerkLanguage,
            Globals = { ["currency_symbol"] = "kr." },
        };
        options.Stores[ShopMarket.English.Name] = new ClerkStoreOptions
        {
            PublicKey = ClerkEmulatorOptions.DemoPublicKeyEn,
            PrivateKey = ClerkEmulatorOptions.DemoPrivateKeyEn,
            Language = ShopMarket.English.ClerkLanguage,
            PathBase = ShopMarket.English.PathBase,
            Globals = { ["currency_symbol"] = "€" },
        };
        options.DefaultStore = ShopMarket.Denmark.Name;
    }

    private static string OwnAddress(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('/');
        return first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }
}
