using System.Text.Json;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Feeds;

/// <summary>Writes one item of a feed (one of <see cref="FeedItemWriter"/>'s methods).</summary>
internal delegate void FeedItemWrite<in TItem>(Utf8JsonWriter writer, TItem item, in FeedWriteContext context);

/// <summary>One of the feeds: its path segment, its source's service type, and how its items are written and checked.</summary>
internal abstract class FeedKind(string name, Type sourceType, bool takesDates)
{
    /// <summary>The path segment and the name in logs, metrics and spans: <c>product</c>, <c>category</c>, <c>order</c>, <c>customer</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The service the shop registers for this feed (on <see cref="ClerkFeedsBuilder"/>).</summary>
    public Type SourceType { get; } = sourceType;

    /// <summary>Whether <c>start_date</c> and <c>end_date</c> apply (the order feed); other feeds ignore them.</summary>
    public bool TakesDates { get; } = takesDates;

    public abstract Task ServeAsync(FeedEndpoint endpoint, HttpContext context, FeedQuery query, ClerkStore store);
}

/// <summary>A feed of <typeparamref name="TItem"/>.</summary>
internal sealed class FeedKind<TItem>(
    string name,
    Type sourceType,
    bool takesDates,
    FeedItemWrite<TItem> write,
    Func<TItem, FeedPageIds, string?> inspect,
    Func<TItem, ClerkProductId>? productId = null) : FeedKind(name, sourceType, takesDates)
    where TItem : class
{
    /// <summary>Writes an item.</summary>
    public FeedItemWrite<TItem> Write { get; } = write;

    /// <summary>Checks an item's IDs against the page's; returns the first mix of types, described.</summary>
    public Func<TItem, FeedPageIds, string?> Inspect { get; } = inspect;

    /// <summary>For the product feed: the item's product ID, whose type the rest of the chain must use.</summary>
    public Func<TItem, ClerkProductId>? ProductId { get; } = productId;

    public override Task ServeAsync(FeedEndpoint endpoint, HttpContext context, FeedQuery query, ClerkStore store) =>
        endpoint.ServeAsync(context, this, query, store);
}

/// <summary>The four feeds, in the order they are mapped.</summary>
internal static class FeedKinds
{
    public static readonly FeedKind<ClerkFeedProduct> Product = new(
        "product",
        typeof(IClerkProductSource),
        takesDates: false,
        FeedItemWriter.WriteProduct,
        (product, ids) => ids.Product(product.Id) ?? ids.Categories(product.Categories),
        product => product.Id);

    public static readonly FeedKind<ClerkFeedCategory> Category = new(
        "category",
        typeof(IClerkFeedSource<ClerkFeedCategory>),
        takesDates: false,
        FeedItemWriter.WriteCategory,
        (category, ids) => ids.Category(category.Id) ?? ids.Categories(category.Subcategories));

    public static readonly FeedKind<ClerkFeedOrder> Order = new(
        "order",
        typeof(IClerkFeedSource<ClerkFeedOrder>),
        takesDates: true,
        FeedItemWriter.WriteOrder,
        (order, ids) => ids.OrderLines(order.Products));

    public static readonly FeedKind<ClerkFeedCustomer> Customer = new(
        "customer",
        typeof(IClerkFeedSource<ClerkFeedCustomer>),
        takesDates: false,
        FeedItemWriter.WriteCustomer,
        (_, _) => null);

    public static IReadOnlyList<FeedKind> All { get; } = [Product, Category, Order, Customer];
}

/// <summary>
/// The JSON types of the IDs on one page: every product ID one type, every category ID one type. Order lines are
/// product IDs too, and are also compared with the product feed's type (<see cref="ProductIdTypes"/>).
/// </summary>
internal sealed class FeedPageIds(ProductIdTypes chain)
{
    private ClerkProductId _product;
    private ClerkProductId _category;

    public string? Product(ClerkProductId id) => Check(ref _product, id, "product");

    public string? Category(ClerkProductId id) => Check(ref _category, id, "category");

    public string? Categories(IReadOnlyList<ClerkProductId>? ids)
    {
        if (ids is null)
        {
            return null;
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (Category(ids[i]) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public string? OrderLines(IReadOnlyList<ClerkSaleLine>? lines)
    {
        if (lines is null)
        {
            return null;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var id = lines[i].ParentProductId;
            chain.Seen(id, ProductIdSource.OrderFeed);
            if (Product(id) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Check(ref ClerkProductId first, ClerkProductId id, string what)
    {
        if (!id.HasValue)
        {
            return null;
        }

        if (!first.HasValue)
        {
            first = id;
            return null;
        }

        return first.IsNumber == id.IsNumber
            ? null
            : $"{what} {Show(first)} is {Type(first)}, but {what} {Show(id)} is {Type(id)}. Clerk compares IDs with their JSON type (123 and \"123\" are different), "
                + $"so every {what} ID of the feed must have one type, the type clicks and sales use: map them all from the same property.";
    }

    private static string Show(ClerkProductId id) => id.IsNumber ? id.ToString() : $"\"{id}\"";

    private static string Type(ClerkProductId id) => id.IsNumber ? "an integer" : "a string";
}
