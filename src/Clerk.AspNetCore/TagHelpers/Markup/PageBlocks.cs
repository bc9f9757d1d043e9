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
    private readonly Stack<ResultsBlock> _open = new();

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

    public ResultsBlock? Current => _open.Count == 0 ? null : _open.Peek();

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

    public void Open(ResultsBlock block) => _open.Push(block);

    public void Close(ResultsBlock block)
    {
        if (_open.Count > 0 && ReferenceEquals(_open.Peek(), block))
        {
            _open.Pop();
        }
    }
}

/// <summary>An open <c>&lt;clerk-results&gt;</c> block; <see cref="HasLabels"/> is false when its labels were wrong (already reported).</summary>
internal sealed record ResultsBlock(bool HasLabels);
