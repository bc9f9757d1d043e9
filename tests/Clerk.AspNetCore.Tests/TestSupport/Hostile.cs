using System.Text.Json;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>Values that break naive HTML or script rendering, for every attribute and config value.</summary>
internal static class Hostile
{
    public static readonly string Long = string.Concat(Enumerable.Repeat("Ab'\"<>&\u2028", 2_000));

    public static TheoryData<string> Values => new(
        "\"",
        "'",
        "</script><script>alert(1)</script>",
        "</SCRIPT >",
        "<!--",
        "<!-- x --> --!>",
        "\u2028\u2029",
        "Blåbærgrød – “ø” 日本語 😀",
        "&lt;&amp;&#39;",
        "\\\"); alert(1); //",
        "');alert(1);('",
        "${alert(1)}`",
        Long);

    /// <summary>Reads the one JSON value that starts right after <paramref name="marker"/> in <paramref name="text"/>.</summary>
    public static JsonElement JsonAfter(string text, string marker)
    {
        var start = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{marker}' not found in: {text}");
        var bytes = System.Text.Encoding.UTF8.GetBytes(text[(start + marker.Length)..]);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false });
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }

    /// <summary>A JSON list of strings, as a data attribute carries labels.</summary>
    public static string[] StringList(string? json)
    {
        Assert.NotNull(json);
        return JsonSerializer.Deserialize<string[]>(json) ?? throw new InvalidOperationException("null list");
    }
}
