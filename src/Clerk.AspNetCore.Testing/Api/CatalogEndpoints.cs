using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Real-time catalog sync, as Clerk's extensions call it when a product changes: <c>product/add</c> upserts products
/// (each replaces the product with its ID) and <c>product/remove</c> deletes them by ID. Both need the private key; the
/// products keep the catalog's one ID type, as every other call must.
/// </summary>
internal sealed class CatalogEndpoints(EmulatorCallChecks checks, ClerkEmulatorState state)
{
    public const string Add = "product/add";

    public const string Remove = "product/remove";

    public IEnumerable<KeyValuePair<string, Func<EmulatorCall, EmulatorResponse>>> Routes =>
    [
        new(Add, AddProducts),
        new(Remove, RemoveProducts),
    ];

    /// <summary>Whether the endpoint carries products (whole ones for <c>product/add</c>), so takes a larger body.</summary>
    public static bool IsCatalogEndpoint(string endpoint) => endpoint is Add or Remove;

    private EmulatorResponse AddProducts(EmulatorCall call)
    {
        if (checks.Private(call, "products") is { } invalid)
        {
            return invalid;
        }

        var list = call.Arguments.GetProperty("products");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return Invalid("expected a non-empty JSON list of product objects, such as [{\"id\":1,\"name\":\"…\",\"price\":9.5}]");
        }

        var products = new List<ClerkEmulatorProduct>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (CatalogJson.ReadProduct(item, out var problem) is not { } product)
            {
                return Invalid(problem!);
            }

            products.Add(product);
        }

        return state.Catalog.Upsert(products) is { } mismatch ? Invalid(mismatch) : EmulatorResponse.Ok();
    }

    private EmulatorResponse RemoveProducts(EmulatorCall call)
    {
        if (checks.Private(call, "products") is { } invalid)
        {
            return invalid;
        }

        var list = call.Arguments.GetProperty("products");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return Invalid("expected a non-empty JSON list of product IDs, such as [1,2]");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new HashSet<JsonValueKind>();
        foreach (var item in list.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var inner) ? inner : item;
            if (!CatalogJson.TryReadId(value, out var id, out _))
            {
                return Invalid("each product ID must be an integer or a non-empty string");
            }

            ids.Add(id);
            kinds.Add(value.ValueKind);
        }

        var catalogKind = state.Catalog.IdKind;
        if (kinds.Count > 1 || (catalogKind is { } kind && !kinds.Contains(kind)))
        {
            return Invalid(kinds.Count > 1
                ? "the IDs mix integers and strings; send IDs of the catalog's JSON type"
                : $"the IDs are {(kinds.Single() == JsonValueKind.Number ? "integers" : "strings")}, but the catalog's IDs are "
                    + $"{(catalogKind == JsonValueKind.Number ? "integers" : "strings")}: send IDs of the catalog's JSON type");
        }

        state.Catalog.Remove(ids);
        return EmulatorResponse.Ok();
    }

    private static EmulatorResponse Invalid(string detail) => EmulatorResponse.Parsing($"Invalid Syntax In Argument: products ({detail})");
}
