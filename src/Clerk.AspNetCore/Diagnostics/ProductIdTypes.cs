using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Diagnostics;

/// <summary>Where a product ID was seen, for <see cref="ProductIdTypes"/>; each names the fix in its own terms.</summary>
internal enum ProductIdSource
{
    /// <summary><c>IClerkTracker.TrackSaleAsync</c>: a line's parent product ID.</summary>
    Sale,

    /// <summary><c>IClerkTracker.TrackClick</c>, and so the click beacon.</summary>
    Click,

    /// <summary><c>IClerkTracker.TrackProductView</c>.</summary>
    ProductView,

    /// <summary><c>IClerkTracker.TrackReturnAsync</c>.</summary>
    Return,

    /// <summary><c>&lt;clerk-sale lines="..."&gt;</c>.</summary>
    SaleMarkup,

    /// <summary><c>clerk-product-id="..."</c> on a product Clerk chose.</summary>
    ProductMarkup,

    /// <summary>A line of the order feed.</summary>
    OrderFeed,
}

/// <summary>
/// The JSON type of product IDs across the chain. Clerk compares IDs with their type, so a product feed with integer
/// IDs and sales or clicks with string IDs (<c>123</c> and <c>"123"</c>) is the classic silent mismatch: nothing
/// fails, and no sale is ever attributed. The product feed tells this singleton the type it served; clicks, sales,
/// views and markup report each ID they use. The first ID of another type than the feed's is logged once (event 77),
/// every one is counted (<c>clerk.product_id.type_mismatches</c>), and the health check turns Degraded with
/// <see cref="Problem"/>. Seen from the hot path, an ID of the feed's type costs one comparison.
/// </summary>
/// <remarks>
/// Per process: in a web farm each instance compares what it sees with the feed pages it served itself (the
/// importer's requests spread over the instances), and a restart forgets the feed's type until the next import.
/// </remarks>
internal sealed class ProductIdTypes
{
    private const int Unknown = 0;
    private const int Number = 1;
    private const int Text = 2;

    private readonly ILogger _logger;
    private readonly Counter<long> _mismatches;
    private int _feed;
    private FirstSeen? _firstSeen;
    private string? _problem;

    public ProductIdTypes(ILogger<ProductIdTypes> logger, IMeterFactory meterFactory)
    {
        _logger = logger;
        _mismatches = meterFactory.Create(ClerkDiagnostics.MeterName).CreateCounter<long>(
            "clerk.product_id.type_mismatches", "{id}",
            "Product IDs of clicks, sales, views, returns or markup whose JSON type (number or string) differs from the product feed's, by where they were seen.");
    }

    /// <summary>The first mismatch, described with its fix; <see langword="null"/> while there is none.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Whether the product feed served integer IDs (<see langword="null"/> until it served a page here).</summary>
    public bool? FeedUsesNumbers => Volatile.Read(ref _feed) switch
    {
        Number => true,
        Text => false,
        _ => null,
    };

    /// <summary>The product feed served a page whose IDs have the type of <paramref name="id"/>.</summary>
    public void FeedServed(ClerkProductId id)
    {
        if (!id.HasValue)
        {
            return;
        }

        var kind = KindOf(id);
        if (Interlocked.Exchange(ref _feed, kind) == kind)
        {
            return;
        }

        // Clicks and sales seen before the feed was served (after a restart, the importer comes later) count too.
        if (Volatile.Read(ref _firstSeen) is { } seen && seen.Kind != kind)
        {
            Mismatch(kind, seen.Id, seen.Source, before: true);
        }
    }

    /// <summary>A product ID the chain uses: compared with the feed's type, which costs one comparison when it matches.</summary>
    public void Seen(ClerkProductId id, ProductIdSource source)
    {
        var kind = id.IsNumber ? Number : Text;
        if (kind == Volatile.Read(ref _feed) || !id.HasValue)
        {
            return;
        }

        SeenOther(id, kind, source);
    }

    private void SeenOther(ClerkProductId id, int kind, ProductIdSource source)
    {
        var feed = Volatile.Read(ref _feed);
        if (feed == Unknown)
        {
            // No feed served yet (or no feed at all): remember the first ID, to compare once the feed is served.
            if (Volatile.Read(ref _firstSeen) is null)
            {
                Interlocked.CompareExchange(ref _firstSeen, new FirstSeen(kind, id, source), null);
            }

            return;
        }

        Mismatch(feed, id, source, before: false);
    }

    private void Mismatch(int feed, ClerkProductId id, ProductIdSource source, bool before)
    {
        _mismatches.Add(1, new KeyValuePair<string, object?>("clerk.source", Tag(source)));
        if (Volatile.Read(ref _problem) is not null)
        {
            return;
        }

        var message = Describe(feed, id, source, before);
        if (Interlocked.CompareExchange(ref _problem, message, null) is null)
        {
            _logger.ProductIdTypeMismatch(message);
        }
    }

    internal static string Describe(int feed, ClerkProductId id, ProductIdSource source, bool before)
    {
        var feedType = feed == Number ? "integer" : "string";
        var shown = id.IsNumber ? $"{id} as an integer" : $"\"{id}\" as a string";
        var when = before ? "earlier " : string.Empty;
        var fix = feed == Number
            ? $"pass the integer itself ({Fix(source, number: true)}), not its text"
            : $"pass the same string the feed sends ({Fix(source, number: false)})";
        return $"Your product feed sends {feedType} IDs, but {when}{What(source)} sent {shown}. Clerk compares product IDs with their JSON type, so 123 and \"123\" are different products: "
            + $"clicks and sales with the other type are never attributed to the products Clerk knows. Use the feed's type everywhere: {fix}. "
            + "This is reported once (event 77); every such ID is counted in clerk.product_id.type_mismatches.";
    }

    private static string What(ProductIdSource source) => source switch
    {
        ProductIdSource.Sale => "a sale (IClerkTracker.TrackSaleAsync)",
        ProductIdSource.Click => "a click (IClerkTracker.TrackClick or the click beacon)",
        ProductIdSource.ProductView => "a product view (IClerkTracker.TrackProductView)",
        ProductIdSource.Return => "a return (IClerkTracker.TrackReturnAsync)",
        ProductIdSource.SaleMarkup => "a <clerk-sale> on an order confirmation page",
        ProductIdSource.ProductMarkup => "a clerk-product-id attribute on a page",
        _ => "a line of the order feed",
    };

    private static string Fix(ProductIdSource source, bool number) => (source, number) switch
    {
        (ProductIdSource.ProductMarkup, true) => "clerk-product-id=\"@product.Id\" with the integer property",
        (ProductIdSource.ProductMarkup, false) => "clerk-product-id=\"@product.Id.ToString()\", or whatever key the feed sends",
        (ProductIdSource.Sale or ProductIdSource.SaleMarkup or ProductIdSource.OrderFeed, true) => "new ClerkSaleLine(line.ProductId, ...) with the integer ID",
        (ProductIdSource.Sale or ProductIdSource.SaleMarkup or ProductIdSource.OrderFeed, false) => "new ClerkSaleLine(line.ProductId.ToString(), ...), or whatever key the feed sends",
        (_, true) => "a ClerkProductId made from the integer ID",
        _ => "a ClerkProductId made from the feed's string",
    };

    private static string Tag(ProductIdSource source) => source switch
    {
        ProductIdSource.Sale => "sale",
        ProductIdSource.Click => "click",
        ProductIdSource.ProductView => "product_view",
        ProductIdSource.Return => "return",
        ProductIdSource.SaleMarkup => "sale_markup",
        ProductIdSource.ProductMarkup => "product_markup",
        _ => "order_feed",
    };

    private static int KindOf(ClerkProductId id) => id.IsNumber ? Number : Text;

    private sealed record FirstSeen(int Kind, ClerkProductId Id, ProductIdSource Source);
}
