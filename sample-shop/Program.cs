using System.Globalization;
using Microsoft.AspNetCore.Localization;
using SampleShop.Admin;
using SampleShop.Cart;
using SampleShop.Catalog;
using SampleShop.Consent;
using SampleShop.Data;
using SampleShop.Emulator;
using SampleShop.Forms;
using SampleShop.Markets;
using SampleShop.Orders;
using SampleShop.Payments;
using SampleShop.Proxy;
using SampleShop.Recommendations;
using SampleShop.Telemetry;

var builder = WebApplication.CreateBuilder(args);

// Behind a reverse proxy: the client's address and scheme from the proxies in the "ForwardedHeaders" section.
builder.AddShopForwardedHeaders();

// A method a page has no handler for (TRACE, OPTIONS) gets 405, not a page rendered without its data.
builder.Services.AddRazorPages(options => options.Conventions.ConfigureFilter(new SampleShop.Pages.DeclaredHandlersOnly()));
builder.Services.AddHttpContextAccessor();

// /admin/products: price, stock and name of the products, only when Admin:Key is set, and only for whoever gives it.
builder.AddShopAdmin();

// Clerk's importer pulls the catalog and orders from /clerk/product, /clerk/category and /clerk/order (with the store's
// keys); a product saved through EF Core reaches Clerk at once (real-time sync through the outbox).
builder.AddShopFeeds();
builder.AddShopDatabase();
builder.Services.AddScoped<ShopCart>();
builder.Services.AddScoped<ShopRecommendations>();

// The simulated payment provider (checkout with payment=redirect): its signed payment references.
builder.Services.AddSingleton<PaymentReferences>();

// The consent, cart and checkout forms carry an antiforgery token; their endpoints refuse posts without it.
builder.Services.AddShopAntiforgery();

// The shop asks for consent before non-essential cookies (a consent banner): ASP.NET Core's cookie policy.
builder.Services.Configure<CookiePolicyOptions>(options =>
{
    options.CheckConsentNeeded = _ => true;
    options.MinimumSameSitePolicy = SameSiteMode.Lax;
});

// Clerk.io: options from the "Clerk" section of appsettings.json, validated at start. Clerk:Mode=Api switches the
// shop to an API setup: blocks rendered on the server, clicks through the beacon, sales sent from the server.
builder.Services.AddClerk(builder.Configuration);
builder.Services.AddHealthChecks().AddClerk();
builder.AddShopTelemetry();   // OpenTelemetry, off unless OpenTelemetry:Exporter is Console or Otlp

// Without a real key (Clerk:PublicKey) the shop runs offline against the Clerk emulator, mapped below: in Development,
// or with ClerkEmulator:Enabled=true (tests, CI, demos). Anywhere else a missing key stops the shop here.
var useEmulator = builder.AddClerkEmulatorWithoutRealKey();

// The shop remembers a declined consent in a cookie of its own; this resolver tells Clerk.
builder.Services.AddClerkConsentResolver<ShopConsentResolver>();

var app = builder.Build();

// First, so everything after it (Clerk's cookieless IDs, the Secure cookie) sees the client, not the proxy.
app.UseForwardedHeaders();
app.EnsureShopDatabase();

// The English market (its own Clerk store, prices in euros) is the same shop under /en/: its path base. Every page,
// form and endpoint works under it, and Clerk picks the store from it (Clerk:Stores:en:PathBase).
app.UsePathBase(ShopMarket.English.PathBase);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

// A Danish shop: prices show as "1.299,00 kr." (Clerk still gets 1299.00, whatever the culture); the English market
// writes them as "€174.13".
var localization = new RequestLocalizationOptions
{
    DefaultRequestCulture = new RequestCulture("da-DK", "en"),
    SupportedCultures = [new CultureInfo("da-DK"), new CultureInfo("en-IE")],
    SupportedUICultures = [new CultureInfo("en")],
};
localization.RequestCultureProviders.Insert(0, new CustomRequestCultureProvider(context =>
    Task.FromResult<ProviderCultureResult?>(new(ShopMarket.Of(context).Culture.Name, "en"))));
app.UseRequestLocalization(localization);
app.UseStaticFiles();
app.UseCookiePolicy();
app.UseClerkTracking();
app.UseRouting();

app.MapRazorPages();
app.MapClerkTracking();
app.MapClerkFeeds();
app.MapHealthChecks("/health");
app.MapConsentEndpoints();
app.MapCartEndpoints();
app.MapCheckoutEndpoints();
app.MapForgetMe();
app.MapSimulatedPaymentProvider();
app.MapProductImages();
if (useEmulator)
{
    app.MapClerkEmulator(ShopClerkEmulator.Path);
}

app.Run();
