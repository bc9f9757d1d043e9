namespace Clerk.AspNetCore;

/// <summary>
/// How cookieless visitor IDs (undecided visitors) cross midnight UTC, when the daily salt they are derived under
/// changes. A visitor seen in the last <see cref="MidnightActivityWindow"/> of a day keeps the day's ID for the first
/// <see cref="MidnightGrace"/> of the next, so a click at 23:58 and a sale at 00:03 share one visitor.
/// </summary>
/// <remarks>
/// Only visitors active before midnight keep their ID; everyone else gets the new day's ID at midnight, and everyone
/// does once the grace is over. The IDs of visitors seen in the activity window are kept (in memory, or in
/// <c>clerk_cookieless_activity</c> with the EF Core stores) until the grace is over, then forgotten together with the
/// previous day's salt, so old IDs cannot be recomputed after it. Either value zero turns the grace off: the salt
/// changes for everyone at midnight and the previous day's salt is forgotten at once.
/// </remarks>
public sealed class ClerkCookielessOptions
{
    /// <summary>The longest either window may be: 2 hours, so that no day's salt outlives its day by more.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(2);

    /// <summary>
    /// How long before midnight UTC a cookieless request counts as activity: its visitor keeps the ID after midnight.
    /// </summary>
    /// <value>Defaults to 30 minutes; from zero (no grace) to <see cref="MaxWindow"/>.</value>
    public TimeSpan MidnightActivityWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long after midnight UTC a visitor active before it keeps the previous day's ID, and the previous day's salt
    /// is kept to recompute it.
    /// </summary>
    /// <value>Defaults to 30 minutes; from zero (no grace) to <see cref="MaxWindow"/>.</value>
    public TimeSpan MidnightGrace { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether the grace is on: both windows longer than zero.</summary>
    internal bool GraceEnabled => MidnightActivityWindow > TimeSpan.Zero && MidnightGrace > TimeSpan.Zero;

    /// <summary>The grace in effect: <see cref="MidnightGrace"/>, or zero when the grace is off.</summary>
    internal TimeSpan EffectiveGrace => GraceEnabled ? MidnightGrace : TimeSpan.Zero;
}
