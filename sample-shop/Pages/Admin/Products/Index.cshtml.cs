using Microsoft.EntityFrameworkCore;
using SampleShop.Admin;
using SampleShop.Data;

namespace SampleShop.Pages.Admin.Products;

/// <summary><c>/admin/products</c>: every product, with a link to edit it.</summary>
public sealed class IndexModel(ShopDbContext db) : AdminPageModel
{
    public IReadOnlyList<Product> Products { get; private set; } = [];

    public async Task OnGetAsync() =>
        Products = await db.Products.AsNoTracking().OrderBy(p => p.Id).ToListAsync(HttpContext.RequestAborted);
}
