using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Forms;
using SampleShop.Recommendations;

namespace SampleShop.Pages;

public sealed class IndexModel(ShopDbContext db, ShopRecommendations recommendations) : PageModel
{
    public IClerkVisitorFeature? Visitor { get; private set; }

    public IReadOnlyList<Product> NewProducts { get; private set; } = [];

    public IReadOnlyList<Category> Categories { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(string? error)
    {
        Visitor = HttpContext.GetClerkVisitor();
        Error = ShopMessages.FromQuery(error);
        Categories = await db.Categories.OrderBy(c => c.Id).ToListAsync(HttpContext.RequestAborted);
        NewProducts = await recommendations.GetAsync(HttpContext, "recommendations/new", "Home - New", limit: 4);
    }
}
