using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Feeds;

/// <summary>The outcome of a feed request's authentication.</summary>
/// <param name="Succeeded">Whether the request may read the feeds.</param>
/// <param name="Reason">For the log: why it failed (never a key or a token).</param>
/// <param name="Tag">For the metric: the reason as a tag.</param>
/// <param name="Message">For the caller: the message of the 403 answer.</param>
/// <param name="Exception">A token verifier's exception, for the log.</param>
internal readonly record struct FeedAuthentication(bool Succeeded, string Reason, string Tag, string Message, Exception? Exception = null);

/// <summary>
/// Who may read the feeds: Clerk's importer, with the store's public key (<c>key</c>) and either its private key
/// (<c>private_key</c>) or a bearer token (<c>X-Clerk-Authorization: Bearer &lt;token&gt;</c>) that the app's
/// <see cref="IClerkFeedTokenVerifier"/> accepts. Keys are compared as SHA-256 digests of their UTF-8 bytes with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>: the time taken depends on neither key's content nor length,
/// and both keys are always compared, so it does not tell which one was wrong. Without a private key configured,
/// nothing is accepted (the importer needs it, and a feed must never be open).
/// </summary>
internal sealed class FeedAuthenticator
{
    /// <summary>Clerk's own extensions answer bad credentials with this message.</summary>
    public const string InvalidMessage = "Invalid Authentication, please provide valid credentials.";

    public const string HeaderName = "X-Clerk-Authorization";

    public const string NoVerifierMessage =
        "A bearer token in X-Clerk-Authorization needs a token verifier, and this shop has none: register an IClerkFeedTokenVerifier in its services, or send key and private_key.";

    private readonly byte[] _publicKey;
    private readonly byte[]? _privateKey;
    private readonly string _store;

    public FeedAuthenticator(IOptions<ClerkOptions> options)
    {
        var clerk = options.Value;
        _store = clerk.PublicKey ?? string.Empty;
        _publicKey = SHA256.HashData(Encoding.UTF8.GetBytes(_store));
        _privateKey = string.IsNullOrEmpty(clerk.PrivateKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(clerk.PrivateKey));
    }

    public async ValueTask<FeedAuthentication> AuthenticateAsync(HttpContext context, FeedArguments arguments)
    {
        // Compared before anything else is decided, whatever else is wrong, so every refusal takes the same time.
        var keyMatches = Matches(arguments.Key, _publicKey);
        if (_privateKey is null)
        {
            return Fail("Clerk:PrivateKey is not set, so the feeds accept no request (event 71 at start-up says how to fix it).", "no_private_key");
        }

        if (arguments.PrivateKey is not null)
        {
            var privateMatches = Matches(arguments.PrivateKey, _privateKey);
            return keyMatches & privateMatches
                ? new FeedAuthentication(true, string.Empty, string.Empty, string.Empty)
                : Fail("key and private_key are not the store's Clerk:PublicKey and Clerk:PrivateKey.", "invalid_keys");
        }

        var header = context.Request.Headers[HeaderName];
        if (header.Count == 0)
        {
            return Fail(
                "the request has neither private_key nor an X-Clerk-Authorization bearer token.",
                arguments.Key is null ? "missing_credentials" : "missing_private_key");
        }

        if (header.Count > 1 || Token(header[0]) is not { } token)
        {
            return Fail("X-Clerk-Authorization is not 'Bearer <token>'.", "invalid_token");
        }

        if (context.RequestServices.GetService<IClerkFeedTokenVerifier>() is not { } verifier)
        {
            return new FeedAuthentication(false,
                "a bearer token came, but no IClerkFeedTokenVerifier is registered; register one, or let Clerk's importer use the key pair.",
                "no_token_verifier", NoVerifierMessage);
        }

        if (!keyMatches)
        {
            return Fail("key is not the store's Clerk:PublicKey (the bearer token was not checked).", "invalid_keys");
        }

        try
        {
            return await verifier.VerifyAsync(token, _store, context.RequestAborted).ConfigureAwait(false)
                ? new FeedAuthentication(true, string.Empty, string.Empty, string.Empty)
                : Fail($"the token verifier ({verifier.GetType().Name}) refused the bearer token.", "invalid_token");
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            return new FeedAuthentication(false, $"the token verifier ({verifier.GetType().Name}) failed, so the bearer token could not be checked.",
                "token_verifier_failed", InvalidMessage, exception);
        }
    }

    private static FeedAuthentication Fail(string reason, string tag) => new(false, reason, tag, InvalidMessage);

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
