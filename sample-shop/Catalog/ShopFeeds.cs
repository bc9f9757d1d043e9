using Clerk.AspNetCore;
using SampleShop.Data;

namespace SampleShop.Catalog;

/// <summary>
/// The shop's catalog and orders as Clerk's importer pulls them (<c>/clerk/product</c>, <c>/clerk/category</c>,
/// <c>/clerk/order</c>, with the store's public and private key), straight from the shop's EF Core model: keyset paging,
/// no tracking, streamed. A product saved through EF Core (the admin pages) reaches Clerk at once through real-time
/// sync: the SaveChanges interceptor queues it in the outbox, in the save's own transaction.
/// </summary>
public static class ShopFeeds
{
    public static void AddShopFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddClerkFeeds()
            .AddProducts((ShopDbContext db) => db.Products, p => p.Id, p => new ClerkFeedProduct
            {
                Id = p.Id,
                Name = p.Name,
                Description = p.Description,
                Price = p.Price,
                ListPrice = p.ListPrice,

                // Relative to the shop: the feed makes them absolute with the request's (or Clerk:Feeds:BaseUrl's) address.
                Image = "/images/products/" + p.Id + ".svg",
                Url = "/products/" + p.Id,
                Categories = new List<ClerkProductId> { p.CategoryId },
                Brand = p.Brand,
                Sku = p.Sku,
                Stock = p.Stock,
                CreatedAt = p.CreatedAt,
            })
            .AddCategories((ShopDbContext db) => db.Categories, c => c.Id, c => new ClerkFeedCategory
            {
                Id = c.Id,
                Name = c.Name,
                Url = "/categories/" + c.Id,
            })

            // Orders waiting for the payment provider are not placed yet: neither the feed nor log/sale has them.
            .AddOrders((ShopDbContext db) => db.Orders.Where(o => !o.AwaitingPayment), o => o.Id, o => o.PlacedAt, o => new ClerkFeedOrder
            {
                Id = o.Number,
                Time = o.PlacedAt,
                Email = o.Email,
                Customer = o.CustomerId == null ? null : o.CustomerId.ToString(),
                Products = o.Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity)).ToList(),
            })
            .SyncOnSaveChanges<ShopDbContext, Product>(p => p.Id);
    }
}
