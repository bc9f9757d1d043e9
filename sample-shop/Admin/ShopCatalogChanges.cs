using Clerk.AspNetCore;

namespace SampleShop.Admin;

/// <summary>
/// The one place the shop says that a product changed, so that Clerk hears of it without waiting for its next import
/// of the product feed (real-time catalog sync). Call it after <c>SaveChangesAsync</c>, inside the same database
/// transaction: the catalog sync writes to the durable outbox, which then commits with the change or not at all.
/// <para>
/// It uses Clerk's <see cref="IClerkCatalogSync"/> when the shop registers it, and does nothing otherwise. A shop whose
/// <c>SaveChanges</c> tells Clerk by itself (the catalog sync's interceptor on the <c>Product</c> entity) empties this
/// method instead: the pages that call it do not change either way.
/// </para>
/// </summary>
public sealed class ShopCatalogChanges(IServiceProvider services)
{
    public async ValueTask ProductChangedAsync(long productId, CancellationToken cancellationToken)
    {
        if (services.GetService<IClerkCatalogSync>() is { } sync)
        {
            await sync.ProductsChangedAsync([productId], cancellationToken);
        }
    }
}
