using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// One call while it is handled: its arguments, and the place in the order of calls a stored sale takes, so the
/// recorder and the handlers agree on what the call was.
/// </summary>
internal sealed class EmulatorCall(JsonElement arguments)
{
    public JsonElement Arguments { get; } = arguments;

    public long? Sequence { get; private set; }

    public DateTimeOffset? Time { get; private set; }

    public bool IsDuplicateSale { get; set; }

    /// <summary>Arguments given as plain text in the query string: their JSON type is unknown (104 or "104").</summary>
    public IReadOnlySet<string> Untyped { get; init; } = new HashSet<string>();

    /// <summary>The visitor ID when it is text; <c>null</c> (no visitor) or a malformed value is none.</summary>
    public string? Visitor =>
        Arguments.TryGetProperty("visitor", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The labels that are text; the checks reject any other shape before a call is recorded as a success.</summary>
    public List<string> Labels =>
        Arguments.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
            ? labels.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!).ToList()
            : [];

    /// <summary>A sale takes its place in the order of calls when it is stored, so attribution can compare.</summary>
    public void Stamp(long sequence, DateTimeOffset time)
    {
        Sequence = sequence;
        Time = time;
    }
}
