using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Catalog;
using SampleShop.Recommendations;

namespace SampleShop.Pages;

public sealed class IndexModel(ShopCatalog catalog, ShopRecommendations recommendations) : PageModel
{
    public IClerkVisitorFeature? Visitor { get; private set; }

    public IReadOnlyList<ShopProduct> NewProducts { get; private set; } = [];

    public IReadOnlyList<ShopProduct> Catalog => catalog.Products;

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? error)
    {
        Visitor = HttpContext.GetClerkVisitor();
        Error = error;
        NewProducts = await recommendations.GetAsync(HttpContext, "recommendations/new", "Home - New", limit: 4);
    }
}
