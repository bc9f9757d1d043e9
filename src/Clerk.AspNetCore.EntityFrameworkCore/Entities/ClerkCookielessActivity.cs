namespace Clerk.AspNetCore;

/// <summary>
/// A row of <c>clerk_cookieless_activity</c>: a cookieless visitor ID seen in the last minutes of a UTC day
/// (<see cref="ClerkCookielessOptions.MidnightActivityWindow"/>), so that every instance lets that visitor keep the ID
/// during the midnight grace. Deleted with the day's salt when the grace is over.
/// </summary>
public sealed class ClerkCookielessActivity
{
    /// <summary>Gets or sets the Clerk store (public key) (column <c>store</c>; the primary key is store, day and visitor).</summary>
    public string Store { get; set; } = "";

    /// <summary>Gets or sets the UTC day whose salt the ID was derived under (column <c>day</c>).</summary>
    public DateOnly Day { get; set; }

    /// <summary>Gets or sets the cookieless visitor ID (column <c>visitor_id</c>).</summary>
    public string VisitorId { get; set; } = "";
}
