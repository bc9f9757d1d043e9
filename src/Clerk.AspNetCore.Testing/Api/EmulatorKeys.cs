using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The store's API keys as Clerk checks them: every call needs the public key, account and privacy calls also the
/// private one. Kept apart so a wrong or missing key always gives Clerk's <c>AuthenticationError</c>, whatever the
/// endpoint.
/// </summary>
internal sealed class EmulatorKeys(ClerkEmulatorOptions options)
{
    public EmulatorResponse? CheckPublic(JsonElement args)
    {
        var key = EmulatorJson.Argument(args, "key");
        return key == options.PublicKey
            ? null
            : EmulatorResponse.Authentication(
                key is null ? "Missing Argument key: every call needs the store's public API key." : "Invalid API key: no store has this public key.");
    }

    public EmulatorResponse? CheckPrivate(JsonElement args)
    {
        var privateKey = EmulatorJson.Argument(args, "private_key");
        return privateKey == options.PrivateKey
            ? null
            : EmulatorResponse.Authentication(privateKey is null
                ? "Missing Argument private_key: this call needs the store's private API key."
                : "Invalid private API key for this store.");
    }
}
