using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// One store's API keys as Clerk checks them: every call needs the public key, account and privacy calls also the
/// private one, that of the same store (another store's private key opens nothing here). Kept apart so a wrong or
/// missing key always gives Clerk's <c>AuthenticationError</c>, whatever the endpoint.
/// </summary>
internal sealed class EmulatorKeys(string publicKey, string privateKey)
{
    public EmulatorResponse? CheckPublic(JsonElement args)
    {
        var key = EmulatorJson.Argument(args, "key");
        return key == publicKey
            ? null
            : EmulatorResponse.Authentication(
                key is null ? "Missing Argument key: every call needs the store's public API key." : "Invalid API key: no store has this public key.");
    }

    public EmulatorResponse? CheckPrivate(JsonElement args)
    {
        var sent = EmulatorJson.Argument(args, "private_key");
        return sent == privateKey
            ? null
            : EmulatorResponse.Authentication(sent is null
                ? "Missing Argument private_key: this call needs the store's private API key."
                : "Invalid private API key for this store.");
    }
}
