namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// The last key of each feed page this instance served, so that the next page is a keyset query
/// (<c>WHERE key &gt; last ORDER BY key LIMIT n</c>) rather than an <c>OFFSET</c> scan: Clerk's importer asks for page
/// numbers, one after the other. Bounded (<see cref="Capacity"/> pages; when full it starts afresh) and short-lived
/// (<see cref="Lifetime"/>): a boundary from an earlier import run could skip rows deleted since.
/// </summary>
internal sealed class FeedPageBoundaries(TimeProvider time)
{
    public const int Capacity = 10_000;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<PageKey, (object Key, DateTimeOffset At)> _boundaries = [];

    /// <summary>The last key of <paramref name="page"/>, if this instance served it within <see cref="Lifetime"/>.</summary>
    public bool TryGet(PageKey page, out object key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_boundaries.TryGetValue(page, out var entry) && now - entry.At < Lifetime)
            {
                key = entry.Key;
                return true;
            }
        }

        key = null!;
        return false;
    }

    public void Set(PageKey page, object key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_boundaries.Count >= Capacity && !_boundaries.ContainsKey(page))
            {
                foreach (var (stale, entry) in _boundaries.Where(b => now - b.Value.At >= Lifetime).ToList())
                {
                    _boundaries.Remove(stale);
                }

                if (_boundaries.Count >= Capacity)
                {
                    _boundaries.Clear();
                }
            }

            _boundaries[page] = (key, now);
        }
    }

    /// <summary>Forgets every boundary (tests: a restarted instance, or a page served by another instance).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _boundaries.Clear();
        }
    }
}

/// <summary>A page of a feed, as far as its boundary goes: the same page of another limit or date range is another page.</summary>
internal readonly record struct PageKey(string Feed, string Store, int Limit, int Page, DateTimeOffset? StartDate, DateTimeOffset? EndDate);
