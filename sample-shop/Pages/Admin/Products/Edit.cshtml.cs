using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleShop.Admin;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Pages.Admin.Products;

/// <summary>
/// <c>/admin/products/{id}</c>: the product's name, price and stock, and a form that changes them. A valid save goes
/// through <c>SaveChangesAsync</c> in a transaction (whose interceptor queues the change for Clerk), then 303 back here
/// (<c>?saved=true</c>); a form with mistakes comes back (422) with what was typed and a message per field, and
/// changes nothing.
/// </summary>
public sealed class EditModel(ShopDbContext db) : AdminPageModel
{
    public Product? Product { get; private set; }

    public ProductEditForm Form { get; private set; } = new(string.Empty, string.Empty, string.Empty);

    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public bool Saved { get; private set; }

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    public async Task<IActionResult> OnGetAsync(long id, bool saved)
    {
        Product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, HttpContext.RequestAborted);
        if (Product is null)
        {
            return NotFound();
        }

        Form = ProductEditForm.From(Product);
        Saved = saved;
        return Page();
    }

    // No parameters: binding one would make Razor Pages read the form first, with its own (larger) limits; the form
    // is read once, size-capped, by the antiforgery check.
    public async Task<IActionResult> OnPostAsync()
    {
        var cancellation = HttpContext.RequestAborted;
        if (!long.TryParse(Convert.ToString(RouteData.Values["id"], CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            return NotFound();
        }

        if (await ShopAntiforgery.ReadValidFormAsync(HttpContext) is not { } form)
        {
            return Rejected();
        }

        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellation);
        if (product is null)
        {
            return NotFound();
        }

        Form = ProductEditForm.From(form);
        if (!Form.TryValidate(out var edit, out var errors))
        {
            Product = product;
            Errors = errors;
            var page = Page();
            page.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }

        product.Name = edit.Name;
        product.Price = edit.Price;
        product.Stock = edit.Stock;
        if (db.ChangeTracker.HasChanges())
        {
            // SaveChanges tells Clerk by itself: the catalog sync's interceptor (SyncOnSaveChanges in ShopFeeds) queues
            // the product in the outbox on this context. In one transaction, that outbox row commits with the change
            // or not at all; without one, it would be written just after the change committed.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
            await db.SaveChangesAsync(cancellation);
            await transaction.CommitAsync(cancellation);
        }

        return SeeOther($"{AdminPaths.Product(id)}?saved=true");
    }
}
