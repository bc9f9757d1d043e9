namespace Clerk.AspNetCore;

/// <summary>One page of a feed, as Clerk's importer asked for it, checked: the source returns that page's items.</summary>
public sealed class ClerkFeedRequest
{
    /// <summary>The Clerk store (public key) the importer authenticated as.</summary>
    public required string Store { get; init; }

    /// <summary>The page, counting from 1.</summary>
    public required int Page { get; init; }

    /// <summary>How many items a page holds; every page but the last holds exactly this many.</summary>
    public required int Limit { get; init; }

    /// <summary>For the order feed: only orders placed at or after this time (<c>start_date</c>).</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>For the order feed: only orders placed before this time (<c>end_date</c>).</summary>
    public DateTimeOffset? EndDate { get; init; }
}
