using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.EntityFrameworkCore.Tests;

public sealed class ServiceCollectionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddClerkEntityFrameworkStores_BeforeOrAfterAddClerk_ReplacesTheInMemoryStores(bool storesFirst)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=:memory:"));
        if (storesFirst)
        {
            services.AddClerkEntityFrameworkStores<ShopContext>();
        }

        services.AddClerk(o => o.PublicKey = "store-di");
        if (!storesFirst)
        {
            services.AddClerkEntityFrameworkStores<ShopContext>();
        }

        using var provider = services.BuildServiceProvider();

        Assert.IsType<EntityFrameworkSaleLedger<ShopContext>>(provider.GetRequiredService<IClerkSaleLedger>());
        Assert.IsType<EntityFrameworkCookielessSaltStore<ShopContext>>(provider.GetRequiredService<IClerkCookielessSaltStore>());
        Assert.IsType<EntityFrameworkOutbox<ShopContext>>(provider.GetRequiredService<IClerkOutbox>());
        Assert.Single(services, d => d.ServiceType == typeof(IClerkSaleLedger));
        Assert.Single(provider.GetServices<IHostedService>(), s => s is ClerkCleanupService<ShopContext>);
    }

    [Fact]
    public void AddClerkEntityFrameworkStores_Options_DefaultToAWeekOfSentRowsAndTenMinuteRounds()
    {
        var options = new ClerkEntityFrameworkOptions();

        Assert.Equal(TimeSpan.FromDays(7), options.SentRetention);
        Assert.Equal(TimeSpan.FromMinutes(10), options.CleanupInterval);
    }
}
