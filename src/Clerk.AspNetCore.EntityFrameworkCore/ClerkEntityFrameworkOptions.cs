namespace Clerk.AspNetCore;

/// <summary>Options of the Clerk EF Core stores (<c>AddClerkEntityFrameworkStores&lt;TContext&gt;</c>).</summary>
public sealed class ClerkEntityFrameworkOptions
{
    /// <summary>How long sent outbox rows are kept, for audit, before the cleanup deletes them. Failed rows are
    /// never deleted automatically.</summary>
    /// <value>Defaults to 7 days.</value>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often every instance runs the cleanup: sent outbox rows past <see cref="SentRetention"/>, sale
    /// claims past <see cref="ClerkSaleLedgerOptions.Retention"/>, and the salts and active visitors of days whose
    /// midnight grace is over.</summary>
    /// <value>Defaults to 10 minutes.</value>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);
}
