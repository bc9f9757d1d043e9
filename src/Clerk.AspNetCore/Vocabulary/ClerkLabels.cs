namespace Clerk.AspNetCore;

/// <summary>
/// The rules for the labels that name the element which showed Clerk's results. Clerk attributes a sale to the label
/// of the click that led to it, so a missing, empty or shared label is the top cause of unattributed orders. The tag
/// helpers and the server-side client check labels with these same rules.
/// </summary>
internal static class ClerkLabels
{
    /// <summary>Why <paramref name="label"/> cannot be used, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string? label, string where) => label switch
    {
        null => $"{where} has no labels. Clerk attributes sales by the label of the element that showed the products: give every element its own descriptive label, for example labels=\"Home - Trending\".",
        "" => $"{where} has an empty label. Give every element its own descriptive label, for example labels=\"Home - Trending\".",
        _ when string.IsNullOrWhiteSpace(label) => $"{where} has a label of only white space. Give every element its own descriptive label, for example labels=\"Home - Trending\".",
        _ => null,
    };

    /// <summary>Why a call's <paramref name="labels"/> cannot be used (none, or one that breaks the rule), or <see langword="null"/>.</summary>
    public static string? Problem(IReadOnlyList<string>? labels, string where)
    {
        if (labels is null || labels.Count == 0)
        {
            return Problem((string?)null, where);
        }

        foreach (var label in labels)
        {
            if (Problem(label, where) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
