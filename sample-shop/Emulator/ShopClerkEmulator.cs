using Clerk.AspNetCore;
using Clerk.AspNetCore.Testing;
using SampleShop.Data;

namespace SampleShop.Emulator;

/// <summary>
/// Runs the shop on the Clerk emulator when no real Clerk key is configured, so that it works offline: the emulator
/// is mapped at <see cref="Path"/>, and Clerk.js and the API point at it. Set <c>Clerk:PublicKey</c> (and
/// <c>Clerk:PrivateKey</c>) to talk to Clerk.io instead.
/// </summary>
public static class ShopClerkEmulator
{
    public const string Path = "/clerk-emulator";

    public static bool AddClerkEmulatorWithoutRealKey(this WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Clerk:PublicKey"]))
        {
            return false;
        }

        // The emulator knows the shop's products, as Clerk would from the product feed.
        builder.Services.AddClerkEmulator(emulator =>
        {
            var hostile = builder.Configuration.GetValue<bool>(ShopDatabase.HostileProductsSetting);
            foreach (var product in CatalogGenerator.ForClerk(CatalogGenerator.Generate(hostile)))
            {
                emulator.Catalog.Add(product);
            }
        });
        var self = OwnAddress(builder.Configuration);
        builder.Services.PostConfigure<ClerkOptions>(options =>
        {
            options.PublicKey = ClerkEmulatorOptions.DemoPublicKey;
            options.PrivateKey = ClerkEmulatorOptions.DemoPrivateKey;
            options.ClerkJsUrl = $"{Path}/clerk.js";

            // Server-side calls need an absolute address: the shop's own first URL.
            options.ApiBaseUrl = new Uri($"{self}{Path}/v2");
        });
        return true;
    }

    private static string OwnAddress(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('/');
        return first.Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }
}
