namespace Clerk.AspNetCore;

/// <summary>
/// A row of <c>clerk_cookieless_salts</c>: the random salt that every instance derives a UTC day's cookieless visitor
/// IDs under. Deleted when the midnight grace after its day ends, so old visitor IDs cannot be recomputed. Secret: never
/// log it or show it.
/// </summary>
public sealed class ClerkCookielessSalt
{
    /// <summary>Gets or sets the Clerk store (public key) (column <c>store</c>; the primary key is store and day).</summary>
    public string Store { get; set; } = "";

    /// <summary>Gets or sets the UTC day (column <c>day</c>).</summary>
    public DateOnly Day { get; set; }

    /// <summary>Gets or sets the salt: 32 random bytes (column <c>salt</c>).</summary>
    public byte[] Salt { get; set; } = [];

    /// <summary>Gets or sets when the salt was made (column <c>created_at</c>).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
