using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Reads products, categories and orders in the wire format of Clerk's data feeds (the same objects
/// <c>product/add</c> carries), and writes a product's fields back for <c>product_data</c>. One reader for the importer
/// and the sync endpoints, so both accept and refuse the same things with the same words.
/// </summary>
internal static class CatalogJson
{
    /// <summary>The product fields with a property of their own; every other field is kept as an extra field.</summary>
    private static readonly HashSet<string> StandardFields = new(StringComparer.Ordinal)
    {
        "id", "name", "description", "price", "list_price", "image", "url", "categories", "brand", "sku", "on_sale", "stock", "created_at",
    };

    /// <summary>A product ID: an integer JSON number, or a non-empty JSON string.</summary>
    public static bool TryReadId(JsonElement value, out string id, out bool isNumeric)
    {
        isNumeric = value.ValueKind == JsonValueKind.Number;
        id = string.Empty;
        if (isNumeric)
        {
            if (!value.TryGetInt64(out var number))
            {
                return false;
            }

            id = number.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            id = text;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A product object: <c>id</c> (integer or string), <c>name</c> and <c>price</c> required; the standard fields of
    /// the feed with their types; anything else kept as an extra field.
    /// </summary>
    /// <returns>The product, or <see langword="null"/> with <paramref name="problem"/> saying what is wrong.</returns>
    public static ClerkEmulatorProduct? ReadProduct(JsonElement item, out string? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            problem = "each product must be a JSON object with at least id, name and price";
            return null;
        }

        if (!item.TryGetProperty("id", out var idValue) || !TryReadId(idValue, out var id, out var numeric))
        {
            problem = "a product has no id, or one that is neither an integer nor a non-empty string";
            return null;
        }

        var label = numeric ? $"product {id}" : $"product \"{id}\"";
        if (!item.TryGetProperty("name", out var nameValue) || nameValue.ValueKind != JsonValueKind.String)
        {
            problem = $"{label}: name must be a string";
            return null;
        }

        if (!item.TryGetProperty("price", out var priceValue) || priceValue.ValueKind != JsonValueKind.Number || !priceValue.TryGetDecimal(out var price) || price < 0)
        {
            problem = $"{label}: price must be a non-negative number";
            return null;
        }

        var extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in item.EnumerateObject())
        {
            if (!StandardFields.Contains(property.Name))
            {
                extra[property.Name] = property.Value.Clone();
            }
        }

        string? issue = null;
        var product = new ClerkEmulatorProduct(id, numeric, nameValue.GetString()!, price)
        {
            Description = OptionalString(item, "description", label, ref issue),
            Url = OptionalString(item, "url", label, ref issue),
            ImageUrl = OptionalString(item, "image", label, ref issue),
            Brand = OptionalString(item, "brand", label, ref issue),
            Sku = OptionalString(item, "sku", label, ref issue),
            ListPrice = OptionalDecimal(item, "list_price", label, ref issue),
            Stock = OptionalInt(item, "stock", label, ref issue),
            OnSale = OptionalBool(item, "on_sale", label, ref issue),
            CreatedAt = OptionalTime(item, "created_at", label, ref issue),
            Categories = IdList(item, "categories", label, ref issue),
            ExtraFields = extra,
        };
        problem = issue;
        return issue is null ? product : null;
    }

    /// <summary>A category object: <c>id</c> and <c>name</c> required, <c>url</c> and <c>subcategories</c> optional.</summary>
    public static ClerkEmulatorCategory? ReadCategory(JsonElement item, out string? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("id", out var idValue) || !TryReadId(idValue, out var id, out var numeric))
        {
            problem = "each category must be a JSON object with an integer or string id";
            return null;
        }

        var label = $"category {id}";
        if (!item.TryGetProperty("name", out var nameValue) || nameValue.ValueKind != JsonValueKind.String)
        {
            problem = $"{label}: name must be a string";
            return null;
        }

        var category = new ClerkEmulatorCategory(
            id, numeric, nameValue.GetString()!, OptionalString(item, "url", label, ref problem), IdList(item, "subcategories", label, ref problem));
        return problem is null ? category : null;
    }

    /// <summary>An order object: <c>id</c> and <c>products</c> (<c>[{id, quantity, price}]</c>) required.</summary>
    public static ClerkEmulatorOrder? ReadOrder(JsonElement item, out string? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("id", out var idValue) || !TryReadId(idValue, out var id, out _))
        {
            problem = "each order must be a JSON object with an order id";
            return null;
        }

        var label = $"order {id}";
        if (!item.TryGetProperty("products", out var lines) || lines.ValueKind != JsonValueKind.Array)
        {
            problem = $"{label}: products must be a list of {{id, quantity, price}}";
            return null;
        }

        var products = new List<ClerkEmulatorSaleLine>();
        foreach (var line in lines.EnumerateArray())
        {
            if (line.ValueKind != JsonValueKind.Object || !line.TryGetProperty("id", out var productId) || !TryReadId(productId, out var product, out var numeric))
            {
                problem = $"{label}: each line needs a product id";
                return null;
            }

            var quantity = 1;
            if (line.TryGetProperty("quantity", out var q) && (!EmulatorJson.TryGetInt(q, out quantity) || quantity < 1))
            {
                problem = $"{label}: quantity must be an integer of at least 1";
                return null;
            }

            decimal? unitPrice = null;
            if (line.TryGetProperty("price", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Number || !p.TryGetDecimal(out var value) || value < 0)
                {
                    problem = $"{label}: price must be a non-negative number";
                    return null;
                }

                unitPrice = value;
            }

            products.Add(new ClerkEmulatorSaleLine(product, numeric, unitPrice, quantity));
        }

        var order = new ClerkEmulatorOrder(id, OptionalTime(item, "time", label, ref problem), OptionalScalar(item, "customer"), products);
        return problem is null ? order : null;
    }

    /// <summary>One field of a product as <c>product_data</c> answers it; unknown names are the product's extra fields.</summary>
    public static JsonNode? Attribute(ClerkEmulatorProduct product, string attribute) => attribute switch
    {
        "id" => product.IsNumericId ? JsonValue.Create(long.Parse(product.Id, CultureInfo.InvariantCulture)) : JsonValue.Create(product.Id),
        "name" => product.Name,
        "price" => product.Price,
        "list_price" => product.ListPrice,
        "description" => product.Description,
        "brand" => product.Brand,
        "sku" => product.Sku,
        "url" => product.Url,
        "image" => product.ImageUrl,
        "stock" => product.Stock,
        "on_sale" => product.OnSale,
        "created_at" => product.CreatedAt?.ToUnixTimeSeconds(),
        "categories" => new JsonArray(product.Categories.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        _ => product.ExtraFields.TryGetValue(attribute, out var value) ? Node(value) : null,
    };

    private static JsonNode? Node(JsonElement value) => JsonNode.Parse(value.GetRawText());

    private static bool Absent(JsonElement item, string name, out JsonElement value) =>
        !item.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null;

    private static string? OptionalString(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        problem ??= $"{label}: {name} must be a string";
        return null;
    }

    private static string? OptionalScalar(JsonElement item, string name) =>
        Absent(item, name, out var value) ? null : EmulatorJson.ScalarText(value);

    private static decimal? OptionalDecimal(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number >= 0)
        {
            return number;
        }

        problem ??= $"{label}: {name} must be a non-negative number";
        return null;
    }

    private static int? OptionalInt(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        problem ??= $"{label}: {name} must be an integer";
        return null;
    }

    private static bool? OptionalBool(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problem ??= $"{label}: {name} must be true or false";
        return null;
    }

    /// <summary>Unix seconds, as the feeds write times, or an ISO-8601 date and time.</summary>
    private static DateTimeOffset? OptionalTime(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        problem ??= $"{label}: {name} must be unix time in seconds";
        return null;
    }

    private static IReadOnlyList<string> IdList(JsonElement item, string name, string label, ref string? problem)
    {
        if (Absent(item, name, out var value))
        {
            return [];
        }

        var ids = new List<string>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (!TryReadId(element, out var id, out _))
                {
                    ids = null;
                    break;
                }

                ids.Add(id);
            }

            if (ids is not null)
            {
                return ids;
            }
        }

        problem ??= $"{label}: {name} must be a list of integer or string IDs";
        return [];
    }
}
