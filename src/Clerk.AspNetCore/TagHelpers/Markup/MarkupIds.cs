using System.Collections;
using System.Globalization;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>Reads product and category IDs given to tag helpers as integers, strings or lists of them.</summary>
internal static class MarkupIds
{
    /// <summary>One ID or a list of IDs, all of one JSON type; or the reason they cannot be used.</summary>
    public static string? TryReadMany(object? value, string attribute, out ClerkProductId[] ids)
    {
        ids = [];
        if (ClerkProductId.TryFrom(value, out var single))
        {
            ids = [single];
            return null;
        }

        if (value is not IEnumerable items || value is string)
        {
            return $"{attribute} must be a product ID (an integer or a string) or a list of them; it was {Describe(value)}.";
        }

        var list = new List<ClerkProductId>();
        foreach (var item in items)
        {
            if (!ClerkProductId.TryFrom(item, out var id))
            {
                return $"{attribute} contains {Describe(item)}, which is not a product ID (an integer or a non-empty string).";
            }

            if (list.Count > 0 && list[0].IsNumber != id.IsNumber)
            {
                return $"{attribute} mixes integer and string product IDs. Clerk compares IDs with their JSON type: use the type your product feed uses for all of them.";
            }

            list.Add(id);
        }

        if (list.Count == 0)
        {
            return $"{attribute} is an empty list. Pass at least one product ID, or leave the attribute out.";
        }

        ids = [.. list];
        return null;
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => string.Create(CultureInfo.InvariantCulture, $"a {value.GetType().Name}"),
    };
}
