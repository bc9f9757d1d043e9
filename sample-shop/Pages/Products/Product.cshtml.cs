using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Catalog;

namespace SampleShop.Pages.Products;

public sealed class ProductModel(ShopCatalog catalog) : PageModel
{
    public ShopProduct Product { get; private set; } = default!;

    public string? Error { get; private set; }

    public IActionResult OnGet(long id, string? error)
    {
        if (catalog.Find(id) is not { } product)
        {
            return NotFound();
        }

        Product = product;
        Error = error;
        return Page();
    }
}
