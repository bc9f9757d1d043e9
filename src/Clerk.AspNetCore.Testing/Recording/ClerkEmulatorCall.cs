using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>One API call the emulator received, as recorded for inspection (the private key is redacted).</summary>
/// <param name="Sequence">Position in the order of arrival, starting at 1.</param>
/// <param name="Time">When the call arrived.</param>
/// <param name="Endpoint">The endpoint, such as <c>log/sale</c>.</param>
/// <param name="Method">GET or POST.</param>
/// <param name="Arguments">The call's arguments as one JSON object (GET query values JSON-decoded as Clerk does).</param>
/// <param name="Visitor">The <c>visitor</c> argument, or <see langword="null"/>.</param>
/// <param name="Labels">The <c>labels</c> argument, or empty.</param>
/// <param name="Succeeded">Whether the call answered <c>status: ok</c>.</param>
/// <param name="ErrorType">Clerk's error type, such as <c>ParsingError</c>, when it failed.</param>
/// <param name="ErrorMessage">Clerk's error message, when it failed.</param>
public sealed record ClerkEmulatorCall(
    long Sequence,
    DateTimeOffset Time,
    string Endpoint,
    string Method,
    JsonElement Arguments,
    string? Visitor,
    IReadOnlyList<string> Labels,
    bool Succeeded,
    string? ErrorType,
    string? ErrorMessage)
{
    /// <summary>
    /// The public key of the store that received the call: the store of its <c>key</c>, or the default store for a
    /// call whose key no store has (which fails with <c>AuthenticationError</c>).
    /// </summary>
    public string? Store { get; init; }
}
