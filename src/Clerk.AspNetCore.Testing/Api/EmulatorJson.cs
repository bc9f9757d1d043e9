using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

internal static class EmulatorJson
{
    /// <summary>A number or string as text; anything else is null.</summary>
    public static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>The argument <paramref name="name"/> of a call as text, when it is a number or a string.</summary>
    public static string? Argument(JsonElement args, string name) =>
        args.TryGetProperty(name, out var value) ? ScalarText(value) : null;

    public static bool TryGetInt(JsonElement value, out int result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out result),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    public static bool TryGetDecimal(JsonElement value, out decimal result)
    {
        result = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out result),
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    /// <summary>A detached element of <paramref name="node"/>: it outlives the document it was parsed into.</summary>
    public static JsonElement ToElement(JsonObject node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
