using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>
/// JSON for inline scripts and single-quoted data attributes. The JavaScript encoder escapes every character that
/// could end a script or an attribute or start markup (<c>&lt; &gt; &amp; ' "</c>, U+2028, U+2029 and all non-ASCII)
/// as <c>\uXXXX</c>, so the JSON can be written raw into a <c>&lt;script&gt;</c> or a <c>'...'</c> attribute and
/// still parses back to exactly the original values.
/// </summary>
internal static class MarkupJson
{
    private static readonly MarkupJsonContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.Default,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });

    public static JsonTypeInfo<ClerkJsConfig> Config => Context.ClerkJsConfig;

    public static JsonTypeInfo<ClerkContextValues> ContextValues => Context.ClerkContextValues;

    public static JsonTypeInfo<string[]> Labels => Context.StringArray;

    public static JsonTypeInfo<ClerkProductId[]> ProductIds => Context.ClerkProductIdArray;

    public static JsonTypeInfo<ClerkSaleLine[]> SaleLines => Context.ClerkSaleLineArray;

    public static JsonTypeInfo<string> String => Context.String;

    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);
}

[JsonSerializable(typeof(ClerkJsConfig))]
[JsonSerializable(typeof(ClerkContextValues))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ClerkProductId[]))]
[JsonSerializable(typeof(ClerkSaleLine[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class MarkupJsonContext : JsonSerializerContext;

/// <summary>The object passed to <c>Clerk('config', ...)</c>.</summary>
internal sealed class ClerkJsConfig
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    /// <summary>The visitor ID, or <see langword="null"/> (written as <c>null</c>) when tracking is disabled.</summary>
    [JsonPropertyName("visitor")]
    public required string? Visitor { get; init; }

    [JsonPropertyName("language")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Language { get; init; }

    [JsonPropertyName("globals")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string>? Globals { get; init; }

    [JsonPropertyName("debug")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClerkJsDebug? Debug { get; init; }
}

/// <summary>Clerk.js's <c>debug</c> setting.</summary>
internal sealed class ClerkJsDebug
{
    [JsonPropertyName("enable")]
    public bool Enable { get; init; } = true;

    [JsonPropertyName("level")]
    public string Level { get; init; } = "log";
}

/// <summary>The object passed to <c>Clerk('context', ...)</c>.</summary>
internal sealed class ClerkContextValues
{
    [JsonPropertyName("product")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClerkProductId? Product { get; init; }

    [JsonPropertyName("category")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClerkProductId? Category { get; init; }

    [JsonPropertyName("page")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Page { get; init; }
}
