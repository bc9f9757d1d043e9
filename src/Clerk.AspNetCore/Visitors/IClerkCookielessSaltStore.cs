namespace Clerk.AspNetCore;

/// <summary>
/// Keeps the random salt that cookieless visitor IDs are derived under, one per UTC day.
/// </summary>
/// <remarks>
/// <para>
/// The default store keeps the salt in memory: right for a single server. A web farm needs every instance to derive
/// the same visitor ID for the same visitor, so it must share the salt through a store of its own, registered before
/// or after <c>AddClerk</c> as <c>services.AddSingleton&lt;IClerkCookielessSaltStore, MyStore&gt;()</c>.
/// </para>
/// <para>
/// An implementation must: return at least 16 bytes from a cryptographically secure random generator, never derived
/// from a fixed secret; return the same salt for the same day on every call and every instance; during the midnight
/// grace (the first <see cref="ClerkCookielessOptions.MidnightGrace"/> of a UTC day) return yesterday's salt when
/// asked for yesterday, and otherwise answer any day but today with today's salt; forget a day's salt once the day
/// and the grace after it are over (at once when the grace is off), so that old visitor IDs cannot be recomputed; and
/// answer from memory on the request path (refresh a shared copy in the background), since it is awaited on every
/// cookieless request.
/// </para>
/// </remarks>
public interface IClerkCookielessSaltStore
{
    /// <summary>Gets the salt for <paramref name="utcDay"/>, creating it when the day has none yet.</summary>
    /// <param name="utcDay">The current UTC date.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns>The day's salt.</returns>
    ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken);
}
