using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Clerk.AspNetCore.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Feeds;

/// <summary>The outcome of a feed request's authentication.</summary>
/// <param name="Succeeded">Whether the request may read the feeds.</param>
/// <param name="Reason">For the log: why it failed (never a key or a token).</param>
/// <param name="Tag">For the metric: the reason as a tag.</param>
/// <param name="Message">For the caller: the message of the 403 answer.</param>
/// <param name="Exception">A token verifier's exception, for the log.</param>
/// <param name="Store">The store whose public key the request sent (the one it may read, when it succeeded).</param>
internal readonly record struct FeedAuthentication(bool Succeeded, string Reason, string Tag, string Message, Exception? Exception = null, ClerkStore? Store = null);

/// <summary>
/// Who may read the feeds: Clerk's importer, with a store's public key (<c>key</c>) and either that store's private key
/// (<c>private_key</c>) or a bearer token (<c>X-Clerk-Authorization: Bearer &lt;token&gt;</c>) that the app's
/// <see cref="IClerkFeedTokenVerifier"/> accepts for that store. The request's <c>key</c> picks the store among all
/// configured stores; the feed then serves that store's catalog. Keys are compared as SHA-256 digests of their UTF-8
/// bytes with <see cref="CryptographicOperations.FixedTimeEquals"/>, against every store's public key and then one
/// private key (the chosen store's, or a stand-in when none was chosen): the time taken depends on neither key's
/// content nor length, nor on which stores exist, and does not tell which key was wrong. A store without a private key
/// accepts nothing (the importer needs it, and a feed must never be open).
/// </summary>
internal sealed class FeedAuthenticator
{
    /// <summary>Clerk's own extensions answer bad credentials with this message.</summary>
    public const string InvalidMessage = "Invalid Authentication, please provide valid credentials.";

    public const string HeaderName = "X-Clerk-Authorization";

    public const string NoVerifierMessage =
        "A bearer token in X-Clerk-Authorization needs a token verifier, and this shop has none: register an IClerkFeedTokenVerifier in its services, or send key and private_key.";

    private readonly StoreKeys[] _stores;
    private readonly bool _anyPrivateKey;
    private readonly bool _shortForm;

    // Compared when the request names no store, or one without a private key, so that such a refusal takes as long as
    // any other. A random digest: no key matches it.
    private readonly byte[] _standIn = RandomNumberGenerator.GetBytes(SHA256.HashSizeInBytes);

    public FeedAuthenticator(ClerkStoreSet stores)
    {
        _stores = [.. stores.All.Select(s => new StoreKeys(
            s,
            SHA256.HashData(Encoding.UTF8.GetBytes(s.PublicKey)),
            s.PrivateKey is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null))];
        _anyPrivateKey = _stores.Any(s => s.PrivateKey is not null);
        _shortForm = stores.IsShortForm;
    }

    public async ValueTask<FeedAuthentication> AuthenticateAsync(HttpContext context, FeedArguments arguments)
    {
        // Compared before anything else is decided, whatever else is wrong, so every refusal takes the same time; and
        // with every store's key, without stopping at a match, so the time does not tell which stores exist.
        var chosen = Choose(arguments.Key);
        if (!_anyPrivateKey)
        {
            return Fail(_shortForm
                ? "Clerk:PrivateKey is not set, so the feeds accept no request (event 71 at start-up says how to fix it)."
                : "no Clerk store has a private key (Clerk:Stores:{name}:PrivateKey), so the feeds accept no request (event 95 at start-up says which).",
                "no_private_key");
        }

        var privateKey = chosen?.PrivateKey ?? _standIn;
        if (arguments.PrivateKey is not null)
        {
            var privateMatches = Matches(arguments.PrivateKey, privateKey);
            if (chosen is { PrivateKey: null })
            {
                return NoPrivateKey(chosen.Store);
            }

            return chosen is not null && privateMatches
                ? Succeed(chosen.Store)
                : Fail(_shortForm
                    ? "key and private_key are not the store's Clerk:PublicKey and Clerk:PrivateKey."
                    : chosen is null
                        ? "key and private_key are not the store's: key is no configured Clerk store's public key."
                        : $"key and private_key are not the store's: private_key is not the private key of the Clerk store '{chosen.Store.Name}', whose public key is key.",
                    "invalid_keys", chosen?.Store);
        }

        var header = context.Request.Headers[HeaderName];
        if (header.Count == 0)
        {
            return Fail(
                "the request has neither private_key nor an X-Clerk-Authorization bearer token.",
                arguments.Key is null ? "missing_credentials" : "missing_private_key", chosen?.Store);
        }

        if (header.Count > 1 || Token(header[0]) is not { } token)
        {
            return Fail("X-Clerk-Authorization is not 'Bearer <token>'.", "invalid_token", chosen?.Store);
        }

        if (context.RequestServices.GetService<IClerkFeedTokenVerifier>() is not { } verifier)
        {
            return new FeedAuthentication(false,
                "a bearer token came, but no IClerkFeedTokenVerifier is registered; register one, or let Clerk's importer use the key pair.",
                "no_token_verifier", NoVerifierMessage, Store: chosen?.Store);
        }

        if (chosen is null)
        {
            return Fail(_shortForm
                ? "key is not the store's Clerk:PublicKey (the bearer token was not checked)."
                : "key is no configured Clerk store's public key (the bearer token was not checked).", "invalid_keys");
        }

        if (chosen.PrivateKey is null)
        {
            return NoPrivateKey(chosen.Store);
        }

        try
        {
            // The token is checked for the store key names, and the feed serves that store only: a token the verifier
            // accepts for one store never opens another's catalog.
            return await verifier.VerifyAsync(token, chosen.Store, context.RequestAborted).ConfigureAwait(false)
                ? Succeed(chosen.Store)
                : Fail($"the token verifier ({verifier.GetType().Name}) refused the bearer token for the Clerk store '{chosen.Store.Name}'.", "invalid_token", chosen.Store);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            return new FeedAuthentication(false, $"the token verifier ({verifier.GetType().Name}) failed, so the bearer token for the Clerk store '{chosen.Store.Name}' could not be checked.",
                "token_verifier_failed", InvalidMessage, exception, chosen.Store);
        }
    }

    /// <summary>The store whose public key <paramref name="key"/> is, comparing with every store's digest.</summary>
    private StoreKeys? Choose(string? key)
    {
        StoreKeys? chosen = null;
        foreach (var store in _stores)
        {
            // Public keys are distinct (the options validator refuses two stores with one key): at most one matches.
            if (Matches(key, store.PublicKey))
            {
                chosen = store;
            }
        }

        // A shop with no store (Clerk turned off) still hashes the key once.
        if (_stores.Length == 0)
        {
            _ = Matches(key, _standIn);
        }

        return chosen;
    }

    private FeedAuthentication NoPrivateKey(ClerkStore store) =>
        Fail($"the Clerk store '{store.Name}' has no private key ({store.Setting(nameof(ClerkStoreOptions.PrivateKey))}), so its feeds accept no request (event 95 at start-up says so).",
            "no_private_key", store);

    private static FeedAuthentication Succeed(ClerkStore store) => new(true, string.Empty, string.Empty, string.Empty, Store: store);

    private static FeedAuthentication Fail(string reason, string tag, ClerkStore? store = null) => new(false, reason, tag, InvalidMessage, Store: store);

    /// <summary>A store and the digests of its keys; <see cref="PrivateKey"/> is null for a store without one.</summary>
    private sealed record StoreKeys(ClerkStore Store, byte[] PublicKey, byte[]? PrivateKey);

    private static string? Token(string? header)
    {
        // "Bearer <token>", as Clerk's extensions read it: the scheme, one space, a token without spaces.
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 || token.Contains(' ', StringComparison.Ordinal) ? null : token;
    }

    /// <summary>Whether <paramref name="supplied"/> is the key whose digest is <paramref name="expected"/>, in constant time.</summary>
    internal static bool Matches(string? supplied, byte[] expected)
    {
        supplied ??= string.Empty;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(supplied.Length);
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(supplied, bytes);
            SHA256.HashData(bytes[..written], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // An empty key never matches, even an empty configured one; the digest is compared all the same.
        return CryptographicOperations.FixedTimeEquals(digest, expected) & supplied.Length > 0;
    }
}
