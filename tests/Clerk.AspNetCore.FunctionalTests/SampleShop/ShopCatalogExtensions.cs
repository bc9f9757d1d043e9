using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SampleShop.Data;

namespace Clerk.AspNetCore.FunctionalTests.SampleShop;

/// <summary>What the shop's own database says about a product, to compare with what Clerk received.</summary>
internal static class ShopCatalogExtensions
{
    public static string GetCatalogName(this IServiceProvider services, long productId) => Find(services, productId).Name;

    public static decimal GetCatalogPrice(this IServiceProvider services, long productId) => Find(services, productId).Price;

    private static Product Find(IServiceProvider services, long productId)
    {
        using var scope = services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ShopDbContext>().Products.AsNoTracking().Single(p => p.Id == productId);
    }
}
