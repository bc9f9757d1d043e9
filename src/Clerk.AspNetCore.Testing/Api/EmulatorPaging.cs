using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The paging arguments of result endpoints (<c>limit</c>, <c>offset</c>, <c>exclude</c>, <c>attributes</c>) and the
/// page they cut from a ranking. Recommendations and search share them, so both bound and shape pages alike.
/// </summary>
internal sealed record EmulatorPaging(int Limit, int Offset, HashSet<string> Exclude, List<string> Attributes)
{
    /// <summary>The largest <c>limit</c> Clerk accepts.</summary>
    public const int MaxLimit = 1000;

    /// <summary><c>limit</c> (required, 1–1000), <c>offset</c>, <c>exclude</c> and <c>attributes</c>.</summary>
    public static EmulatorResponse? Read(JsonElement args, out EmulatorPaging paging)
    {
        paging = new EmulatorPaging(0, 0, [], []);
        if (!EmulatorJson.TryGetInt(args.GetProperty("limit"), out var limit) || limit is < 1 or > MaxLimit)
        {
            return EmulatorResponse.Parsing("Invalid Argument limit: it must be an integer from 1 to 1000.");
        }

        var offset = 0;
        if (args.TryGetProperty("offset", out var offsetValue) && (!EmulatorJson.TryGetInt(offsetValue, out offset) || offset < 0))
        {
            return EmulatorResponse.Parsing("Invalid Argument offset: it must be an integer of at least 0.");
        }

        var exclude = new HashSet<string>(StringComparer.Ordinal);
        if (args.TryGetProperty("exclude", out var excludeValue))
        {
            if (excludeValue.ValueKind != JsonValueKind.Array)
            {
                return EmulatorResponse.Parsing("Invalid Syntax In Argument: exclude (expected a JSON list of product IDs)");
            }

            exclude.UnionWith(excludeValue.EnumerateArray().Select(EmulatorJson.ScalarText).OfType<string>());
        }

        var attributes = new List<string>();
        if (args.TryGetProperty("attributes", out var attributesValue))
        {
            if (attributesValue.ValueKind != JsonValueKind.Array || attributesValue.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                return EmulatorResponse.Parsing("Invalid Syntax In Argument: attributes (expected a JSON list of strings)");
            }

            attributes.AddRange(attributesValue.EnumerateArray().Select(a => a.GetString()!));
        }

        paging = new EmulatorPaging(limit, offset, exclude, attributes);
        return null;
    }

    /// <summary>The ranking without the excluded products, before offset and limit.</summary>
    public List<ClerkEmulatorProduct> WithoutExcluded(IEnumerable<ClerkEmulatorProduct> ranked) =>
        ranked.Where(p => !Exclude.Contains(p.Id)).ToList();

    /// <summary>The page as Clerk answers it: <paramref name="extra"/> plus <c>result</c>, and <c>product_data</c> when asked for.</summary>
    public EmulatorResponse Answer(List<ClerkEmulatorProduct> ranked, JsonObject extra)
    {
        var page = ranked.Skip(Offset).Take(Limit).ToList();
        extra["result"] = EmulatorResults.Ids(page);
        if (Attributes.Count > 0)
        {
            extra["product_data"] = EmulatorResults.ProductData(page, Attributes);
        }

        return EmulatorResponse.Ok(extra);
    }
}
