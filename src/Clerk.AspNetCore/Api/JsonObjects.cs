using System.Text.Json;

namespace Clerk.AspNetCore.Api;

/// <summary>Copies of JSON objects with some of their properties left out.</summary>
internal static class JsonObjects
{
    /// <summary>
    /// A detached copy of <paramref name="root"/> without the properties named (Clerk's <c>status</c> in an answer, the
    /// keys in an exported body); anything but an object is copied as it is.
    /// </summary>
    public static JsonElement Without(JsonElement root, params ReadOnlySpan<string> names)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return root.Clone();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (!Named(property, names))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static bool Named(JsonProperty property, ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (property.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
