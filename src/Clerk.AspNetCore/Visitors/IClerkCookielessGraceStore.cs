namespace Clerk.AspNetCore;

/// <summary>
/// Remembers which cookieless visitors were active just before midnight UTC, so that they keep their ID for the short
/// grace after it (<see cref="ClerkCookielessOptions"/>): a click at 23:58 and a sale at 00:03 share one visitor.
/// </summary>
/// <remarks>
/// <para>
/// The default store keeps them in memory: right for a single server. In a web farm the sale may reach another
/// instance than the click, so the store must be shared like the salt store (<see cref="IClerkCookielessSaltStore"/>);
/// the EF Core package's <c>AddClerkEntityFrameworkStores</c> registers one.
/// </para>
/// <para>
/// An implementation must: never block in <see cref="RecordActive"/> (it runs on the request path; buffer shared
/// writes); keep a bounded number of IDs; forget a day's IDs once <see cref="ClerkCookielessOptions.MidnightGrace"/>
/// after that day's end has passed, even when no request comes; and answer <see cref="WasActiveAsync"/> from memory
/// whenever it can, since it is awaited on every cookieless request of the grace.
/// </para>
/// </remarks>
public interface IClerkCookielessGraceStore
{
    /// <summary>
    /// Records that a visitor was active in the last <see cref="ClerkCookielessOptions.MidnightActivityWindow"/> of
    /// <paramref name="utcDay"/>. Called for every cookieless request of that window.
    /// </summary>
    /// <param name="utcDay">The UTC day the visitor ID was derived for (today).</param>
    /// <param name="visitorId">The visitor's cookieless ID under <paramref name="utcDay"/>'s salt.</param>
    void RecordActive(DateOnly utcDay, string visitorId);

    /// <summary>
    /// Whether <paramref name="visitorId"/> was recorded active at the end of <paramref name="utcDay"/>, by any instance.
    /// </summary>
    /// <param name="utcDay">The day that has just ended (yesterday).</param>
    /// <param name="visitorId">The visitor's cookieless ID under <paramref name="utcDay"/>'s salt.</param>
    /// <param name="cancellationToken">Cancelled when the request is aborted.</param>
    /// <returns><see langword="true"/> when the visitor keeps <paramref name="visitorId"/> during the grace.</returns>
    ValueTask<bool> WasActiveAsync(DateOnly utcDay, string visitorId, CancellationToken cancellationToken);
}
