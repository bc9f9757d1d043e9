using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>
/// The Clerk blocks of one page render: which labels are taken (two blocks with one label cannot be told apart in
/// Clerk's analytics) and which <c>&lt;clerk-results&gt;</c> block is open, so that a product element rendered in a
/// partial view inside it still finds its labels.
/// </summary>
internal sealed class PageBlocks
{
    private static readonly object ItemsKey = new();

    private readonly Dictionary<string, string> _labelOwners = new(StringComparer.Ordinal);
    private int _openBlocks;

    public static PageBlocks For(HttpContext httpContext)
    {
        if (httpContext.Items.TryGetValue(ItemsKey, out var existing) && existing is PageBlocks blocks)
        {
            return blocks;
        }

        blocks = new PageBlocks();
        httpContext.Items[ItemsKey] = blocks;
        return blocks;
    }

    /// <summary>Whether a <c>&lt;clerk-results&gt;</c> block is rendering its content right now.</summary>
    public bool InsideResultsBlock => _openBlocks > 0;

    /// <summary>Takes <paramref name="label"/> for the block <paramref name="owner"/>; returns the earlier owner if taken.</summary>
    public string? Claim(string label, string owner)
    {
        if (_labelOwners.TryGetValue(label, out var earlier))
        {
            return earlier;
        }

        _labelOwners.Add(label, owner);
        return null;
    }

    public void OpenResultsBlock() => _openBlocks++;

    public void CloseResultsBlock() => _openBlocks--;
}
