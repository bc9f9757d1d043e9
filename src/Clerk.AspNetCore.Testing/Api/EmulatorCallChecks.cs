using System.Globalization;
using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The checks every endpoint shares, in Clerk's order: keys, the visitor's format, the labels' shape, then the
/// required arguments. One place, so each endpoint answers the same error for the same mistake.
/// </summary>
internal sealed class EmulatorCallChecks(EmulatorKeys keys, ClerkEmulatorState state)
{
    /// <summary>The public key, the visitor's format, the labels' shape, then the required arguments.</summary>
    public EmulatorResponse? Public(EmulatorCall call, params string[] required)
    {
        var args = call.Arguments;
        if (keys.CheckPublic(args) is { } unauthenticated)
        {
            return unauthenticated;
        }

        if (args.TryGetProperty("visitor", out var visitor) && !IsValidVisitor(visitor))
        {
            return EmulatorResponse.Parsing("Invalid Argument visitor: a visitor ID is up to 32 letters and digits, 'auto', or null.");
        }

        if (args.TryGetProperty("labels", out var labels)
            && (labels.ValueKind != JsonValueKind.Array || labels.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String)))
        {
            return EmulatorResponse.Parsing("Invalid Syntax In Argument: labels (expected a JSON list of strings such as [\"Home - Trending\"]).");
        }

        foreach (var name in required)
        {
            if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
            {
                return EmulatorResponse.Parsing($"Missing Argument {name}");
            }
        }

        return null;
    }

    /// <summary>Everything <see cref="Public"/> checks, then the private key: the public mistakes are named first.</summary>
    public EmulatorResponse? Private(EmulatorCall call, params string[] required) =>
        Public(call, required) ?? keys.CheckPrivate(call.Arguments);

    public static EmulatorResponse? OneOf(EmulatorCall call, params string[] names) =>
        names.Any(n => EmulatorJson.Argument(call.Arguments, n) is not null)
            ? null
            : EmulatorResponse.Parsing($"Missing Argument: one of {string.Join(", ", names)} is required.");

    /// <summary>
    /// A non-empty JSON list of product IDs, or of objects with an <c>id</c>, all of the catalog's ID type. A string
    /// here (a double-encoded list) or IDs of the other type give Clerk's "Invalid Syntax In Argument: products".
    /// </summary>
    public EmulatorResponse? ProductList(EmulatorCall call, string name)
    {
        var invalid = EmulatorResponse.Parsing($"Invalid Syntax In Argument: {name}");
        var list = call.Arguments.GetProperty(name);
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return invalid;
        }

        var catalogKind = state.Catalog.IdKind;
        JsonValueKind? seen = null;
        foreach (var item in list.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object
                ? (item.TryGetProperty("id", out var inner) ? inner : default)
                : item;
            if (id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                || (seen is not null && id.ValueKind != seen)
                || (catalogKind is not null && id.ValueKind != catalogKind))
            {
                return invalid;
            }

            seen = id.ValueKind;
        }

        return null;
    }

    /// <summary>
    /// One product ID of the catalog's JSON type, as <see cref="ProductList"/> checks lists: Clerk compares IDs with
    /// their type, so <c>"104"</c> for an integer catalog is another product and gives "Invalid Syntax In Argument".
    /// </summary>
    public EmulatorResponse? ProductId(EmulatorCall call, string name)
    {
        var id = call.Arguments.GetProperty(name);
        var catalogKind = state.Catalog.IdKind;

        // A GET's ?product=104 carries no JSON type (Clerk.js sends clicks so): digits match an integer catalog.
        if (call.Untyped.Contains(name) && catalogKind == JsonValueKind.Number && long.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        return id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String) || (catalogKind is not null && id.ValueKind != catalogKind)
            ? EmulatorResponse.Parsing($"Invalid Syntax In Argument: {name} (a product ID of the catalog's type: {catalogKind switch { JsonValueKind.String => "a string", JsonValueKind.Number => "an integer", _ => "an integer or a string" }})")
            : null;
    }

    private static bool IsValidVisitor(JsonElement visitor)
    {
        if (visitor.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var text = visitor.ValueKind == JsonValueKind.String ? visitor.GetString()! : null;
        return text is "auto" || (text is { Length: > 0 and <= 32 } && text.All(char.IsAsciiLetterOrDigit));
    }
}
