using Clerk.AspNetCore.EntityFrameworkCore.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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

    [Theory]
    [InlineData(0, 7, "CleanupInterval must be positive")]
    [InlineData(-1, 7, "CleanupInterval must be positive")]
    [InlineData(10, -1, "SentRetention must not be negative")]
    public void AddClerkEntityFrameworkStores_InvalidOptions_FailWithAMessageThatSaysWhatToChange(int intervalMinutes, int retentionDays, string message)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=:memory:"));
        services.AddClerkEntityFrameworkStores<ShopContext>(o =>
        {
            o.CleanupInterval = TimeSpan.FromMinutes(intervalMinutes);
            o.SentRetention = TimeSpan.FromDays(retentionDays);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ClerkEntityFrameworkOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
