using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Data;
using SampleShop.Recommendations;

namespace SampleShop.Pages;

public sealed class SearchModel(ShopRecommendations clerk) : PageModel
{
    public const int MaxQueryLength = 100;

    public string? Query { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<Product> Results { get; private set; } = [];

    public async Task OnGetAsync(string? q)
    {
        q = q?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            return;
        }

        if (q.Length > MaxQueryLength)
        {
            Error = $"Search for at most {MaxQueryLength} characters.";
            return;
        }

        Query = q;
        Results = await clerk.GetAsync(HttpContext, "search/search", "Search - Page", limit: 24, query: q);
    }
}
