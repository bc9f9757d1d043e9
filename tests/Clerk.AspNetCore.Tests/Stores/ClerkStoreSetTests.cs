using Clerk.AspNetCore.Configuration;

namespace Clerk.AspNetCore.Tests.Stores;

public sealed class ClerkStoreSetTests
{
    [Fact]
    public void Constructor_ShortForm_IsOneStoreNamedDefault()
    {
        var set = new ClerkStoreSet(new ClerkOptions { PublicKey = "pub", PrivateKey = "priv", Language = "danish", Globals = { ["a"] = "1" } });

        var store = Assert.Single(set.All);
        Assert.True(set.IsSingle);
        Assert.Same(store, set.Default);
        Assert.Equal(ClerkStore.DefaultName, store.Name);
        Assert.Equal("pub", store.PublicKey);
        Assert.Equal("priv", store.PrivateKey);
        Assert.Equal("danish", store.Language);
        Assert.Equal(ClerkOptions.DefaultClerkJsUrl, store.ClerkJsUrl);
        Assert.Equal("1", store.Globals["a"]);
    }

    [Fact]
    public void Constructor_ClerkDisabled_HasNoStore()
    {
        var set = new ClerkStoreSet(new ClerkOptions { Enabled = false, PublicKey = "pub" });

        Assert.Empty(set.All);
        Assert.Null(set.Default);
    }

    [Fact]
    public void Constructor_TwoStores_FillsWhatAStoreLeavesOutFromTheShop()
    {
        var options = new ClerkOptions { Language = "german", ClerkJsUrl = "/clerk.js" };
        StoreTestOptions.TwoStores(options);
        options.Stores["dk"].Language = null;
        options.Stores["en"].ClerkJsUrl = "https://custom.clerk.io/en.js";

        var set = new ClerkStoreSet(options);

        var dk = set.Get("dk");
        var en = set.Get("EN");
        Assert.Equal("german", dk.Language);
        Assert.Equal("english", en.Language);
        Assert.Equal("/clerk.js", dk.ClerkJsUrl);
        Assert.Equal("https://custom.clerk.io/en.js", en.ClerkJsUrl);
        Assert.Equal("kr.", dk.Globals["currency_symbol"]);
        Assert.Equal("€", en.Globals["currency_symbol"]);
        Assert.Same(dk, set.Default);
        Assert.Same(en, set.FindByPublicKey(StoreTestOptions.EnglishKey));
        Assert.Null(set.FindByPublicKey("pub-EN"));
        Assert.Equal("/en", en.Rules.PathBase);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingTheStores()
    {
        var options = new ClerkOptions();
        StoreTestOptions.TwoStores(options);

        var error = Assert.Throws<InvalidOperationException>(() => new ClerkStoreSet(options).Get("de"));

        Assert.Contains("There is no Clerk store named 'de'. The configured stores are: dk, en.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfAStore_IsItsNameWithoutKeys()
    {
        var options = new ClerkOptions();
        StoreTestOptions.TwoStores(options);

        var store = new ClerkStoreSet(options).Get("en");

        Assert.Equal("en", store.ToString());
        Assert.True(store.HasPrivateKey);
    }
}
