namespace Clerk.AspNetCore;

/// <summary>
/// Verifies the token Clerk's newer importer sends in <c>X-Clerk-Authorization: Bearer &lt;token&gt;</c> instead of the
/// private key. Without a verifier registered, the feeds refuse bearer tokens (403) and accept only the key pair.
/// </summary>
public interface IClerkFeedTokenVerifier
{
    /// <summary>Whether <paramref name="token"/> is a valid importer token for the store <paramref name="publicKey"/>.</summary>
    /// <param name="token">The token after <c>Bearer </c>.</param>
    /// <param name="publicKey">The store's public key (the request's <c>key</c>, checked already).</param>
    /// <param name="cancellationToken">Cancelled when the importer goes away.</param>
    /// <returns><see langword="true"/> when the request may read the feeds.</returns>
    ValueTask<bool> VerifyAsync(string token, string publicKey, CancellationToken cancellationToken);
}
