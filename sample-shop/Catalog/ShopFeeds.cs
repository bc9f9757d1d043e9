using Clerk.AspNetCore;
using SampleShop.Data;
using SampleShop.Markets;

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
        // Each market's Clerk store gets the catalog in its own currency and links (the request says which store asks,
        // ClerkFeedRequest.StoreName), and only its own orders. A shop on one Clerk store (Clerk:PublicKey, the store
        // "default") gets the Danish catalog and every order.
        builder.Services.AddClerkFeeds()
            .AddProducts((ShopDbContext db, ClerkFeedRequest _) => db.Products, p => p.Id, (p, store) => new ClerkFeedProduct
            {
                Id = p.Id,
                Name = p.Name,
                Description = p.Description,
                Price = ShopMarket.ForStore(store.StoreName).Price(p.Price),
                ListPrice = p.ListPrice == null ? null : ShopMarket.ForStore(store.StoreName).Price(p.ListPrice.Value),

                // Relative to the shop: the feed makes them absolute with the request's (or Clerk:Feeds:BaseUrl's) address.
                Image = "/images/products/" + p.Id + ".svg",
                Url = ShopMarket.ForStore(store.StoreName).PathBase + "/products/" + p.Id,
                Categories = new List<ClerkProductId> { p.CategoryId },
                Brand = p.Brand,
                Sku = p.Sku,
                Stock = p.Stock,
                CreatedAt = p.CreatedAt,
            })
            .AddCategories((ShopDbContext db, ClerkFeedRequest _) => db.Categories, c => c.Id, (c, store) => new ClerkFeedCategory
            {
                Id = c.Id,
                Name = c.Name,
                Url = ShopMarket.ForStore(store.StoreName).PathBase + "/categories/" + c.Id,
            })

            // Orders waiting for the payment provider are not placed yet: neither the feed nor log/sale has them.
            .AddOrders(
                (ShopDbContext db, ClerkFeedRequest store) => OrdersOf(db, store),
                o => o.Id,
                o => o.PlacedAt,
                (o, _) => new ClerkFeedOrder
                {
                    Id = o.Number,
                    Time = o.PlacedAt,

                    // A buyer who asked to be forgotten (the privacy page) has no e-mail address or customer left on the order.
                    Email = o.Email == "" ? null : o.Email,
                    Customer = o.CustomerId == null ? null : o.CustomerId.ToString(),
                    Products = o.Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity)).ToList(),
                })
            .SyncOnSaveChanges<ShopDbContext, Product>(p => p.Id);
    }

    private static IQueryable<Order> OrdersOf(ShopDbContext db, ClerkFeedRequest store)
    {
        var orders = db.Orders.Where(o => !o.AwaitingPayment);
        if (ShopMarket.All.FirstOrDefault(m => string.Equals(m.Name, store.StoreName, StringComparison.OrdinalIgnoreCase)) is { } market)
        {
            orders = orders.Where(o => o.Market == market.Name);
        }

        return orders;
    }
}
