using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore;

/// <summary>Writes a <see cref="ClerkProductId"/> as a JSON number or string, the type Clerk's catalog uses.</summary>
internal sealed class ClerkProductIdJsonConverter : JsonConverter<ClerkProductId>
{
    public override ClerkProductId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out var number) => new ClerkProductId(number),
            JsonTokenType.String when reader.GetString() is { } text && !string.IsNullOrWhiteSpace(text) => new ClerkProductId(text),
            _ => throw new JsonException("A Clerk product ID is an integer or a non-empty string."),
        };

    public override void Write(Utf8JsonWriter writer, ClerkProductId value, JsonSerializerOptions options)
    {
        if (!value.HasValue)
        {
            throw new JsonException("A Clerk product ID was empty (default(ClerkProductId)); give every product its catalog ID.");
        }

        if (value.IsNumber)
        {
            writer.WriteNumberValue(value.Number);
        }
        else
        {
            writer.WriteStringValue(value.ToString());
        }
    }
}
