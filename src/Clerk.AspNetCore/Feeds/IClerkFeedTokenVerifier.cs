namespace Clerk.AspNetCore;

/// <summary>
/// Verifies the token Clerk's newer importer sends in <c>X-Clerk-Authorization: Bearer &lt;token&gt;</c> instead of the
/// private key. Without a verifier registered, the feeds refuse bearer tokens (403) and accept only the key pair.
/// </summary>
/// <remarks>
/// A token is checked for one store: the one whose public key the request sends in <c>key</c>. A token valid for
/// another store must not be accepted, or one store's importer could read another's feeds.
/// </remarks>
public interface IClerkFeedTokenVerifier
{
    /// <summary>Whether <paramref name="token"/> is a valid importer token for the store <paramref name="publicKey"/>.</summary>
    /// <param name="token">The token after <c>Bearer </c>.</param>
    /// <param name="publicKey">The store's public key (the request's <c>key</c>, checked already).</param>
    /// <param name="cancellationToken">Cancelled when the importer goes away.</param>
    /// <returns><see langword="true"/> when the request may read the feeds.</returns>
    ValueTask<bool> VerifyAsync(string token, string publicKey, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="token"/> is a valid importer token for <paramref name="store"/>: the store whose public
    /// key is the request's <c>key</c> (compared, in constant time, with every configured store's). The feeds call this
    /// one, and serve that store's catalog when it returns <see langword="true"/>; by default it asks
    /// <see cref="VerifyAsync(string, string, CancellationToken)"/> with the store's public key. Implement it to verify
    /// with settings of the store's own (its name, its language).
    /// </summary>
    /// <param name="token">The token after <c>Bearer </c>.</param>
    /// <param name="store">The store the request's <c>key</c> names (which has a private key).</param>
    /// <param name="cancellationToken">Cancelled when the importer goes away.</param>
    /// <returns><see langword="true"/> when the request may read that store's feeds.</returns>
    ValueTask<bool> VerifyAsync(string token, ClerkStore store, CancellationToken cancellationToken) =>
        VerifyAsync(token, store.PublicKey, cancellationToken);
}
