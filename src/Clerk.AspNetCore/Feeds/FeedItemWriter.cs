using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Feeds;

/// <summary>What a feed item's JSON depends on besides the item: where relative URLs point, and whether e-mails go out.</summary>
/// <param name="BaseUrl">The shop's base address for relative URLs; <see langword="null"/> leaves them out.</param>
/// <param name="CollectEmails">Whether e-mail addresses are written (<see cref="ClerkOptions.CollectEmails"/>).</param>
internal readonly record struct FeedWriteContext(Uri? BaseUrl, bool CollectEmails)
{
    /// <summary>The base's scheme and authority (<c>https://shop.example</c>), which root-relative paths follow.</summary>
    internal string? Origin { get; } = BaseUrl is { IsAbsoluteUri: true } absolute ? absolute.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The base's origin and directory (<c>https://shop.example/store/</c>), which relative paths follow; null when Uri must decide.</summary>
    internal string? Directory { get; } = BaseUrl is { IsAbsoluteUri: true } absolute && absolute.AbsolutePath.EndsWith('/') && absolute.Query.Length == 0 && absolute.Fragment.Length == 0
        ? absolute.GetLeftPart(UriPartial.Authority) + absolute.AbsolutePath
        : null;
}

/// <summary>
/// Writes feed items in the shape Clerk's own extensions send, one item at a time onto a <see cref="Utf8JsonWriter"/>,
/// so a feed streams and real-time sync's <c>product/add</c> sends exactly what the feed gives. Absent values are left
/// out; IDs keep their JSON type; descriptions become plain text; relative URLs become absolute, and a URL that is
/// not http(s) (<c>javascript:</c>) is left out, because Clerk renders it as a link.
/// </summary>
internal static class FeedItemWriter
{
    private static readonly HashSet<string> ProductFields =
        ["id", "name", "description", "price", "list_price", "image", "url", "categories", "brand", "sku", "on_sale", "stock", "created_at"];

    private static readonly HashSet<string> CategoryFields = ["id", "name", "url", "subcategories"];

    private static readonly HashSet<string> CustomerFields = ["id", "name", "email"];

    public static void WriteProduct(Utf8JsonWriter writer, ClerkFeedProduct product, in FeedWriteContext context)
    {
        writer.WriteStartObject();
        WriteId(writer, "id", product.Id, "product");
        writer.WriteString("name", product.Name);
        if (product.Description is { } description)
        {
            writer.WriteString("description", PlainText(description));
        }

        writer.WriteNumber("price", product.Price);
        if (product.ListPrice is { } listPrice)
        {
            writer.WriteNumber("list_price", listPrice);
        }

        WriteUrl(writer, "image", product.Image, context);
        WriteUrl(writer, "url", product.Url, context);
        WriteIds(writer, "categories", product.Categories, "category");
        WriteOptional(writer, "brand", product.Brand);
        WriteOptional(writer, "sku", product.Sku);
        writer.WriteBoolean("on_sale", product.OnSale ?? product.ListPrice > product.Price);
        if (product.Stock is { } stock)
        {
            writer.WriteNumber("stock", stock);
        }

        if (product.CreatedAt is { } created)
        {
            writer.WriteNumber("created_at", created.ToUnixTimeSeconds());
        }

        WriteFields(writer, product.Fields, ProductFields);
        writer.WriteEndObject();
    }

    public static void WriteCategory(Utf8JsonWriter writer, ClerkFeedCategory category, in FeedWriteContext context)
    {
        writer.WriteStartObject();
        WriteId(writer, "id", category.Id, "category");
        writer.WriteString("name", category.Name);
        WriteUrl(writer, "url", category.Url, context);
        WriteIds(writer, "subcategories", category.Subcategories, "subcategory");
        WriteFields(writer, category.Fields, CategoryFields);
        writer.WriteEndObject();
    }

    public static void WriteOrder(Utf8JsonWriter writer, ClerkFeedOrder order, in FeedWriteContext context)
    {
        if (string.IsNullOrWhiteSpace(order.Id))
        {
            throw new InvalidOperationException("An order of the order feed has no ID; give it the order ID its sale was tracked with.");
        }

        writer.WriteStartObject();
        writer.WriteString("id", order.Id);
        writer.WriteNumber("time", order.Time.ToUnixTimeSeconds());
        if (context.CollectEmails && !string.IsNullOrWhiteSpace(order.Email))
        {
            writer.WriteString("email", order.Email);
        }

        WriteOptional(writer, "customer", order.Customer);
        writer.WriteStartArray("products");
        foreach (var line in order.Products)
        {
            writer.WriteStartObject();
            WriteId(writer, "id", line.ParentProductId, $"line of order '{order.Id}'");
            writer.WriteNumber("quantity", line.Quantity);
            writer.WriteNumber("price", line.UnitPrice);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteCustomer(Utf8JsonWriter writer, ClerkFeedCustomer customer, in FeedWriteContext context)
    {
        if (string.IsNullOrWhiteSpace(customer.Id))
        {
            throw new InvalidOperationException("A customer of the customer feed has no ID; give it the ID the order feed's 'customer' uses.");
        }

        writer.WriteStartObject();
        writer.WriteString("id", customer.Id);
        WriteOptional(writer, "name", customer.Name);
        if (context.CollectEmails && !string.IsNullOrWhiteSpace(customer.Email))
        {
            writer.WriteString("email", customer.Email);
        }

        WriteFields(writer, customer.Fields, CustomerFields);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reduces HTML to its text: comments, scripts and styles go, tags go, entities are decoded, white space is
    /// collapsed. Only what looks like a tag (<c>&lt;</c> followed by a letter, <c>/</c>, <c>!</c> or <c>?</c>) is a
    /// tag, so plain text such as <c>price &lt; 100 &amp; stock &gt; 5</c> keeps its words. Text without <c>&lt;</c> or
    /// <c>&amp;</c> is returned as it is (the common case costs nothing).
    /// </summary>
    public static string PlainText(string html)
    {
        return HtmlText.ToPlainText(html);
    }

    /// <summary>Makes <paramref name="url"/> absolute against <paramref name="baseUrl"/>; null when it cannot be, or is not http(s).</summary>
    public static string? AbsoluteUrl(string? url, Uri? baseUrl) => AbsoluteUrl(url, new FeedWriteContext(baseUrl, false));

    /// <summary>Makes <paramref name="url"/> absolute against the context's base; null when it cannot be, or is not http(s).</summary>
    public static string? AbsoluteUrl(string? url, in FeedWriteContext context)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        return PlainUrl(url, context) ?? AbsoluteUrlByUri(url, context.BaseUrl);
    }

    /// <summary>
    /// The common URL without parsing it: an http(s) URL or a path made of characters that <see cref="Uri"/> gives back
    /// unchanged (no escapes, no dot segments, a lower-case host without a port), which is what <see cref="Uri"/> would
    /// return for it; <see langword="null"/> for anything else, which <see cref="AbsoluteUrlByUri"/> decides.
    /// </summary>
    internal static string? PlainUrl(string url, in FeedWriteContext context)
    {
        // Dot segments ("./", "a/../b") are resolved by Uri.
        if (url.AsSpan().ContainsAnyExcept(UrlCharacters) || url[0] == '.' || url.Contains("/.", StringComparison.Ordinal))
        {
            return null;
        }

        var scheme = url.StartsWith("https://", StringComparison.Ordinal) ? 8 : url.StartsWith("http://", StringComparison.Ordinal) ? 7 : 0;
        if (scheme > 0)
        {
            // A host name whose last label starts with a letter, as every real top-level domain does: never an IPv4
            // address in one of the forms Uri rewrites (127.1, 0x7f.0.0.1, 010.0.0.1).
            var path = url.IndexOf('/', scheme);
            var host = path > scheme ? url.AsSpan(scheme, path - scheme) : default;
            var top = host.LastIndexOf('.') + 1;
            return !host.IsEmpty && !host.ContainsAnyExcept(HostCharacters) && top < host.Length && char.IsAsciiLetterLower(host[top]) ? url : null;
        }

        // A ':' might make a relative-looking URL a scheme of its own (javascript:...): Uri decides.
        if (url.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        if (url[0] == '/')
        {
            return url.Length > 1 && url[1] == '/' ? null : context.Origin is { } origin ? origin + url : null;
        }

        if (url.StartsWith("~/", StringComparison.Ordinal))
        {
            url = url[2..];
        }

        return url.Length > 0 && url[0] is not ('?' or '#' or '~' or '/' or '.') && context.Directory is { } directory ? directory + url : null;
    }

    private static readonly System.Buffers.SearchValues<char> UrlCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?#=&+,;:@!$*()'");

    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    /// <summary>The URL as <see cref="Uri"/> resolves it: absolute web URLs kept, paths resolved against the base.</summary>
    internal static string? AbsoluteUrlByUri(string url, Uri? baseUrl)
    {
        // On Unix "/p/1" parses as an absolute file: URI; it is a path on the shop.
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && !url.StartsWith('/'))
        {
            return IsWeb(absolute) ? absolute.AbsoluteUri : null;
        }

        // "~/p/1" is ASP.NET Core's app-relative path: relative to the base, which ends with the app's path base.
        if (url.StartsWith("~/", StringComparison.Ordinal))
        {
            url = url[2..];
        }

        return baseUrl is not null && Uri.TryCreate(baseUrl, url, out var resolved) && IsWeb(resolved) ? resolved.AbsoluteUri : null;
    }

    private static bool IsWeb(Uri uri) => uri.Scheme is "http" or "https";

    private static void WriteUrl(Utf8JsonWriter writer, string name, string? url, in FeedWriteContext context)
    {
        if (AbsoluteUrl(url, context) is { } absolute)
        {
            writer.WriteString(name, absolute);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteId(Utf8JsonWriter writer, string name, ClerkProductId id, string what)
    {
        writer.WritePropertyName(name);
        WriteIdValue(writer, id, what);
    }

    private static void WriteIdValue(Utf8JsonWriter writer, ClerkProductId id, string what)
    {
        if (!id.HasValue)
        {
            throw new InvalidOperationException($"A {what} ID of the feed is empty (default(ClerkProductId)); give every item its catalog ID.");
        }

        if (id.IsNumber)
        {
            writer.WriteNumberValue(id.Number);
        }
        else
        {
            writer.WriteStringValue(id.ToString());
        }
    }

    private static void WriteIds(Utf8JsonWriter writer, string name, IReadOnlyList<ClerkProductId>? ids, string what)
    {
        writer.WriteStartArray(name);
        if (ids is not null)
        {
            foreach (var id in ids)
            {
                WriteIdValue(writer, id, what);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteFields(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?>? fields, HashSet<string> standard)
    {
        if (fields is null)
        {
            return;
        }

        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidOperationException("An extra field of the feed has an empty name.");
            }

            if (standard.Contains(name))
            {
                throw new InvalidOperationException(
                    $"The extra field '{name}' has the name of a standard field of the feed; set the item's own property instead, or rename the field.");
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value, name);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string field)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong big:
                writer.WriteNumberValue(big);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double real when double.IsFinite(real):
                writer.WriteNumberValue(real);
                break;
            case float single when float.IsFinite(single):
                // As a float, so 0.1f is written 0.1 rather than the double it widens to (0.10000000149011612).
                writer.WriteNumberValue(single);
                break;
            case DateTimeOffset time:
                writer.WriteNumberValue(time.ToUnixTimeSeconds());
                break;
            case ClerkProductId id:
                WriteIdValue(writer, id, field);
                break;
            case Enum choice:
                writer.WriteStringValue(choice.ToString());
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, field);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException(
                    $"The extra field '{field}' holds a {value.GetType().Name}, which the feed cannot write. Use a string, a number, a boolean, "
                    + "a DateTimeOffset, a list of those, or JSON (JsonNode); a double must be finite.");
        }
    }
}
