using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.DependencyInjection;

public sealed class ClerkRegistrationTests
{
    [Fact]
    public void AddClerk_CalledTwice_DoesNotDuplicateServices()
    {
        var once = new ServiceCollection().AddClerk(o => o.PublicKey = "pub");
        var twice = new ServiceCollection().AddClerk(o => o.PublicKey = "pub").AddClerk(o => o.PublicKey = "pub");

        var onceTypes = ServiceTypesExceptConfigureDelegates(once);
        var twiceTypes = ServiceTypesExceptConfigureDelegates(twice);

        Assert.Equal(onceTypes, twiceTypes);
    }

    [Fact]
    public void AddClerk_CalledTwice_LaterSettingsWin()
    {
        var provider = new ServiceCollection()
            .AddClerk(o => o.PublicKey = "first")
            .AddClerk(o => o.PrivateKey = "private")
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ClerkOptions>>().Value;

        Assert.Equal("first", options.PublicKey);
        Assert.Equal("private", options.PrivateKey);
    }

    [Fact]
    public void AddClerkConsentResolver_SameTypeTwice_RegistersOnce()
    {
        var services = new ServiceCollection()
            .AddClerkConsentResolver<NoOpinionResolver>()
            .AddClerkConsentResolver<NoOpinionResolver>();

        Assert.Single(services, d => d.ServiceType == typeof(IClerkConsentResolver));
    }

    [Fact]
    public void AddClerk_WithAppConfiguration_BindsTheClerkSection()
    {
        var options = Bind(config => config, new Dictionary<string, string?>
        {
            ["Clerk:PublicKey"] = "from-root",
            ["Clerk:VisitorCookie:Lifetime"] = "30.00:00:00",
            ["Clerk:UndecidedConsentMode"] = "Disabled",
            ["Clerk:HonorGlobalPrivacyControl"] = "false",
            ["Clerk:ApiBaseUrl"] = "http://localhost:5080/clerk-emulator/v2",
        });

        Assert.Equal("from-root", options.PublicKey);
        Assert.Equal(TimeSpan.FromDays(30), options.VisitorCookie.Lifetime);
        Assert.Equal(ClerkVisitorMode.Disabled, options.UndecidedConsentMode);
        Assert.False(options.HonorGlobalPrivacyControl);
        Assert.Equal(new Uri("http://localhost:5080/clerk-emulator/v2"), options.ApiBaseUrl);
    }

    [Fact]
    public void AddClerk_WithAppConfiguration_BindsScriptAndSaleSettings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:PublicKey"] = "pub",
            ["Clerk:Language"] = "danish",
            ["Clerk:Globals:currency_symbol"] = "kr.",
            ["Clerk:TrackClicks"] = "false",
            ["Clerk:Debug"] = "true",
            ["Clerk:CollectEmails"] = "false",
            ["Clerk:SaleLedger:Retention"] = "7.00:00:00",
            ["Clerk:SaleLedger:SizeLimit"] = "500",
        }).Build();

        using var provider = new ServiceCollection().AddClerk(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ClerkOptions>>().Value;

        Assert.Equal("danish", options.Language);
        Assert.Equal("kr.", options.Globals["currency_symbol"]);
        Assert.False(options.TrackClicks);
        Assert.True(options.Debug);
        Assert.False(options.CollectEmails);
        Assert.Equal(TimeSpan.FromDays(7), options.SaleLedger.Retention);
        Assert.Equal(500, options.SaleLedger.SizeLimit);
    }

    [Fact]
    public void AddClerk_AppLedgerRegisteredFirst_IsKept()
    {
        var ledger = new NoLedger();
        var services = new ServiceCollection().AddSingleton<IClerkSaleLedger>(ledger).AddClerk(o => o.PublicKey = "pub");

        using var provider = services.BuildServiceProvider();

        Assert.Same(ledger, provider.GetRequiredService<IClerkSaleLedger>());
    }

    [Fact]
    public void AddClerk_WithSection_BindsThatSection()
    {
        var options = Bind(config => config.GetSection("Shop:Clerk"), new Dictionary<string, string?>
        {
            ["Shop:Clerk:PublicKey"] = "from-section",
        });

        Assert.Equal("from-section", options.PublicKey);
    }

    [Fact]
    public async Task StartAsync_MissingPublicKey_FailsNamingTheSetting()
    {
        using var host = BuildHost(services => services.AddClerk(new ConfigurationBuilder().Build()));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Clerk:PublicKey is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidOptionFromConfiguration_FailsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Clerk:PublicKey"] = "pub",
            ["Clerk:VisitorCookie:Lifetime"] = "500.00:00:00",
        }).Build();
        using var host = BuildHost(services => services.AddClerk(configuration));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Clerk:VisitorCookie:Lifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ValidOptions_Starts()
    {
        using var host = BuildHost(services => services.AddClerk(o => o.PublicKey = "pub"));

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UseClerkTracking_WithoutAddClerk_FailsAtStartNamingAddClerk()
    {
        using var host = BuildHost(_ => { });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AddClerk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseClerkTracking_CalledTwice_ResolvesConsentOncePerRequest()
    {
        var resolver = new DelegateConsentResolver(_ => ClerkConsent.Denied);
        await using var host = await TrackingHost.StartAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(resolver),
            beforeTracking: app => app.UseClerkTracking());

        await host.GetAsync();

        // Once as the request starts and once as the response starts (a declining visitor may accept during the
        // request, and then gets a cookie in that response); a second middleware would ask twice more.
        Assert.Equal(2, resolver.Calls);
    }

    private static ClerkOptions Bind(Func<IConfiguration, IConfiguration> pick, Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var provider = new ServiceCollection().AddClerk(pick(configuration)).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ClerkOptions>>().Value;
    }

    private static IHost BuildHost(Action<IServiceCollection> services) =>
        new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services)
                .Configure(app => app.UseClerkTracking()))
            .Build();

    private static List<string> ServiceTypesExceptConfigureDelegates(IServiceCollection services) =>
        services
            .Where(d => !(d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IConfigureOptions<>)))
            .Select(d => $"{d.ServiceType.FullName} -> {d.ImplementationType?.FullName ?? d.ImplementationInstance?.GetType().FullName ?? "factory"}")
            .Order(StringComparer.Ordinal)
            .ToList();

    private sealed class NoOpinionResolver : IClerkConsentResolver
    {
        public ClerkConsent? ResolveConsent(Microsoft.AspNetCore.Http.HttpContext context) => null;
    }

    private sealed class NoLedger : IClerkSaleLedger
    {
        public ValueTask<bool> TryClaimAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public ValueTask ReleaseAsync(string store, string orderId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
