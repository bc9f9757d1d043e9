using System.Globalization;
using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SampleShop.Data;

namespace SampleShop.Pages.Categories;

public sealed class CategoryModel(ShopDbContext db, IClerkTracker clerk, IOptions<ClerkOptions> clerkOptions) : PageModel
{
    public Category Category { get; private set; } = default!;

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id)
    {
        var category = await db.Categories.FirstOrDefaultAsync(c => c.Id == id, HttpContext.RequestAborted);
        if (category is null)
        {
            return NotFound();
        }

        Category = category;
        Products = await db.Products.Where(p => p.CategoryId == id).OrderBy(p => p.Id).ToListAsync(HttpContext.RequestAborted);
        if (clerkOptions.Value.Mode == ClerkIntegrationMode.Api)
        {
            clerk.TrackCategoryView(id.ToString(CultureInfo.InvariantCulture));
        }

        return Page();
    }
}
