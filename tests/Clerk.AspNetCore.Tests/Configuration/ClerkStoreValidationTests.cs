using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Tests.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.Configuration;

/// <summary>The long form, <c>Clerk:Stores:{name}</c>: what start-up accepts and what it refuses, with the fix.</summary>
public sealed class ClerkStoreValidationTests
{
    private static ClerkOptions TwoStores(Action<ClerkOptions>? change = null)
    {
        var options = new ClerkOptions();
        StoreTestOptions.TwoStores(options);
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public void Validate_TwoStoresWithADefault_Succeeds()
    {
        var result = new ClerkOptionsValidator().Validate(null, TwoStores());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_OneStoreWithoutDefaultStore_Succeeds()
    {
        var options = TwoStores(o =>
        {
            o.Stores.Remove("en");
            o.DefaultStore = null;
        });

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    public static TheoryData<string, Action<ClerkOptions>, string> InvalidStores => new()
    {
        { "both forms", o => o.PublicKey = "pub", "Clerk:PublicKey or Clerk:PrivateKey is set together with Clerk:Stores" },
        { "private key in the short form", o => o.PrivateKey = "priv", "Use one form" },
        { "no default with two stores", o => o.DefaultStore = null, "Clerk:DefaultStore is missing. With 2 stores (dk, en)" },
        { "unknown default", o => o.DefaultStore = "de", "Clerk:DefaultStore is 'de', which is not a store. Use one of: dk, en" },
        { "store without public key", o => o.Stores["en"].PublicKey = null, "Clerk:Stores:en:PublicKey is missing" },
        { "public key with space", o => o.Stores["en"].PublicKey = "pub en", "Clerk:Stores:en:PublicKey contains spaces" },
        { "shared public key", o => o.Stores["en"].PublicKey = StoreTestOptions.DanishKey, "Clerk:Stores:en:PublicKey is the same as Clerk:Stores:dk's" },
        { "private equals public", o => o.Stores["en"].PrivateKey = StoreTestOptions.EnglishKey, "Clerk:Stores:en:PrivateKey is the same as its PublicKey" },
        { "blank private key", o => o.Stores["dk"].PrivateKey = " ", "Clerk:Stores:dk:PrivateKey is empty" },
        { "bad name", o => o.Stores["en gb"] = new ClerkStoreOptions { PublicKey = "pub-gb" }, "Clerk:Stores:en gb: a store's name must be" },
        { "too long a name", o => o.Stores[new string('a', 41)] = new ClerkStoreOptions { PublicKey = "pub-a" }, "a store's name must be 1–40" },
        { "empty store", o => o.Stores["de"] = null!, "Clerk:Stores:de is empty" },
        { "relative path base", o => o.Stores["en"].PathBase = "en", "Clerk:Stores:en:PathBase must be a path on this site" },
        { "path base with a query", o => o.Stores["en"].PathBase = "/en?x=1", "Clerk:Stores:en:PathBase must be" },
        { "host with a scheme", o => o.Stores["en"].Hosts.Add("https://shop.co.uk"), "Clerk:Stores:en:Hosts has 'https://shop.co.uk', which is not a host name" },
        { "culture with a space", o => o.Stores["en"].Cultures.Add("en GB"), "Clerk:Stores:en:Cultures has 'en GB'" },
        { "script URL", o => o.Stores["en"].ClerkJsUrl = "javascript:alert(1)", "Clerk:Stores:en:ClerkJsUrl must be" },
        { "same rules twice", o => o.Stores["dk"].PathBase = "/EN/", "serves the same requests as Clerk:Stores:" },
        { "null globals", o => o.Stores["en"].Globals = null!, "Globals, Hosts and Cultures cannot be null" },
        { "default store without stores", o => { o.Stores.Clear(); o.PublicKey = "pub"; }, "Clerk:DefaultStore is 'dk', but no stores are configured" },
    };

    [Theory]
    [MemberData(nameof(InvalidStores))]
    public void Validate_InvalidStores_FailsWithAMessageThatSaysTheFix(string why, Action<ClerkOptions> change, string expected)
    {
        var result = new ClerkOptionsValidator().Validate(null, TwoStores(change));

        Assert.True(result.Failed, why);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidStore_NeverShowsThePrivateKey()
    {
        var result = new ClerkOptionsValidator().Validate(null, TwoStores(o => o.Stores["en"].PublicKey = StoreTestOptions.EnglishPrivateKey + " x"));

        Assert.True(result.Failed);
        Assert.DoesNotContain(StoreTestOptions.EnglishPrivateKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddClerk_StoresFromConfigurationWithABlankShortFormKey_StartsWithBothStores()
    {
        // appsettings.json keeps "PublicKey": "" for the short form; the stores come from the environment.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Clerk:PublicKey"] = "" })
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Clerk:DefaultStore"] = "DK",
                ["Clerk:Stores:dk:PublicKey"] = StoreTestOptions.DanishKey,
                ["Clerk:Stores:dk:PrivateKey"] = StoreTestOptions.DanishPrivateKey,
                ["Clerk:Stores:en:PublicKey"] = StoreTestOptions.EnglishKey,
                ["Clerk:Stores:en:PathBase"] = "/en",
                ["Clerk:Stores:en:Hosts:0"] = "shop.co.uk",
                ["Clerk:Stores:en:Globals:currency_symbol"] = "£",
            })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddClerk(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ClerkOptions>>().Value;
        var stores = services.GetRequiredService<ClerkStoreSet>();

        Assert.Equal(["dk", "en"], stores.All.Select(s => s.Name));
        Assert.Equal("dk", stores.Default!.Name);
        Assert.Equal("£", stores.Get("en").Globals["currency_symbol"]);
        Assert.Equal(["shop.co.uk"], stores.Get("en").Rules.Hosts);
        Assert.Equal("", options.PublicKey);
    }

    [Fact]
    public void Validate_StoreNamesDifferingOnlyInCase_FailsNamingBoth()
    {
        var options = TwoStores();
        var caseSensitive = new Dictionary<string, ClerkStoreOptions>(options.Stores, StringComparer.Ordinal)
        {
            ["EN"] = new ClerkStoreOptions { PublicKey = "pub-EN" },
        };
        options.Stores = caseSensitive;

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("which differ only in case", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(2, new ClerkStoreSet(options).All.Select(s => s.Name.ToUpperInvariant()).Distinct().Count());
    }

    [Fact]
    public void Validate_ClerkDisabled_AcceptsStoresWithoutKeys()
    {
        var result = new ClerkOptionsValidator().Validate(null, TwoStores(o =>
        {
            o.Enabled = false;
            o.Stores["en"].PublicKey = null;
            o.DefaultStore = null;
        }));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ClerkStoreOptions_ToString_RedactsThePrivateKey()
    {
        var text = TwoStores().Stores["en"].ToString();

        Assert.Contains(StoreTestOptions.EnglishKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreTestOptions.EnglishPrivateKey, text, StringComparison.Ordinal);
    }
}
