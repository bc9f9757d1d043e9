using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SampleShop.Data;

namespace SampleShop.Recommendations;

/// <summary>
/// A recommendation block, rendered the way the shop's Clerk mode says: with Clerk.js a <c>&lt;clerk-content&gt;</c>
/// that Clerk.js fills; in API mode the products fetched on the server and rendered as shop tiles inside
/// <c>&lt;clerk-results&gt;</c>, whose clicks the beacon logs. Pages name the block once either way.
/// </summary>
public sealed class ClerkBlockViewComponent(IOptions<ClerkOptions> options, ShopRecommendations recommendations) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string api, string labels, string id, int limit = 4, IReadOnlyList<long>? products = null, int? category = null)
    {
        var block = new ClerkBlock(api, labels, id, limit, products, category, []);
        if (options.Value.Mode != ClerkIntegrationMode.Api)
        {
            return View(block);
        }

        var found = await recommendations.GetAsync(
            HttpContext, api, labels, limit, products: products, category: category?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return View(block with { Products = found });
    }
}

/// <summary>What a Clerk block shows: its endpoint, label and arguments, and in API mode its products.</summary>
public sealed record ClerkBlock(
    string Api, string Labels, string Id, int Limit, IReadOnlyList<long>? ProductIds, int? Category, IReadOnlyList<Product> Products);
