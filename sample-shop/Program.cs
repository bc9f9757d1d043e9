using SampleShop.Emulator;
using SampleShop.Consent;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorPages();

// The shop asks for consent before non-essential cookies (a consent banner): ASP.NET Core's cookie policy.
builder.Services.Configure<CookiePolicyOptions>(options =>
{
    options.CheckConsentNeeded = _ => true;
    options.MinimumSameSitePolicy = SameSiteMode.Lax;
});

// Clerk.io: options from the "Clerk" section of appsettings.json, validated at start.
builder.Services.AddClerk(builder.Configuration);

// Without a real key (Clerk:PublicKey) the shop runs offline against the Clerk emulator, mapped below.
var useEmulator = builder.AddClerkEmulatorWithoutRealKey();

// The shop remembers a declined consent in a cookie of its own; this resolver tells Clerk.
builder.Services.AddClerkConsentResolver<ShopConsentResolver>();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();
app.UseCookiePolicy();
app.UseClerkTracking();
app.UseRouting();

app.MapRazorPages();
app.MapConsentEndpoints();
if (useEmulator)
{
    app.MapClerkEmulator(ShopClerkEmulator.Path);
}

app.Run();
