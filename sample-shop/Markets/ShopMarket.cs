using System.Globalization;

namespace SampleShop.Markets;

/// <summary>
/// A market of the shop: Denmark (the shop's own, at <c>/</c>, in kroner) and an English market in euros under
/// <c>/en/</c>, each on its own Clerk store (<c>Clerk:Stores:dk</c> and <c>Clerk:Stores:en</c>), as a Magento shop
/// has a store view per market. Prices are kept in kroner; a market shows and sells in its own currency, converted at a
/// fixed rate (a demo: a real shop keeps a price list per market), and its Clerk store's catalog, sales and order feed
/// carry those prices.
/// </summary>
/// <param name="Name">The market's name, which is also its Clerk store's name.</param>
/// <param name="PathBase">Where its pages are: <c>""</c> or <c>/en</c> (<c>app.UsePathBase</c>).</param>
/// <param name="Culture">How its prices and dates are written.</param>
/// <param name="KronerPerUnit">How many kroner one unit of its currency costs.</param>
/// <param name="ClerkLanguage">Its Clerk store's language, as Clerk.js names it.</param>
/// <param name="Label">How the market switcher names it.</param>
public sealed record ShopMarket(string Name, string PathBase, CultureInfo Culture, decimal KronerPerUnit, string ClerkLanguage, string Label)
{
    public static readonly ShopMarket Denmark = new("dk", "", CultureInfo.GetCultureInfo("da-DK"), 1m, "danish", "Danmark (kr.)");

    public static readonly ShopMarket English = new("en", "/en", CultureInfo.GetCultureInfo("en-IE"), 7.46m, "english", "English (€)");

    public static readonly IReadOnlyList<ShopMarket> All = [Denmark, English];

    /// <summary>The market of a request: <c>/en/…</c> is English (its path base, after <c>UsePathBase("/en")</c>), anything else Danish.</summary>
    public static ShopMarket Of(HttpContext context) =>
        context.Request.PathBase.StartsWithSegments(English.PathBase, StringComparison.OrdinalIgnoreCase) ? English : Denmark;

    /// <summary>
    /// The market a Clerk store serves: the store named <c>en</c> is the English market's; any other (<c>dk</c>, or the
    /// one store of a shop configured with <c>Clerk:PublicKey</c>) the Danish.
    /// </summary>
    public static ShopMarket ForStore(string? store) =>
        string.Equals(store, English.Name, StringComparison.OrdinalIgnoreCase) ? English : Denmark;   // store names ignore case

    /// <summary>The market an order was placed in (its <c>Market</c> column).</summary>
    public static ShopMarket Named(string? name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) ?? Denmark;

    /// <summary>A price in kroner in this market's currency, rounded to cents.</summary>
    public decimal Price(decimal kroner) => KronerPerUnit == 1m ? kroner : Math.Round(kroner / KronerPerUnit, 2, MidpointRounding.AwayFromZero);

    /// <summary>A price in kroner as this market shows it: <c>1.299,00 kr.</c> or <c>€174.13</c>.</summary>
    public string Show(decimal kroner) => Format(Price(kroner));

    /// <summary>An amount already in this market's currency (an order's prices), as it shows it.</summary>
    public string Format(decimal amount) => amount.ToString("C", Culture);

    /// <summary>A path of the shop within this market: <c>/cart</c> → <c>/en/cart</c>.</summary>
    public string Link(string path) => PathBase + path;
}
