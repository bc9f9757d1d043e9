using Clerk.AspNetCore.Testing;

namespace Clerk.AspNetCore.TestShared;

/// <summary>
/// The small catalog the emulator knows in the tests of both test projects (linked into each), so that product
/// 101 is the same "Wool Sweater" at 499.95 wherever a test refers to it.
/// </summary>
internal static class TestCatalog
{
    /// <summary>Adds the six test products and the body limit the tests expect.</summary>
    public static void Configure(ClerkEmulatorOptions options)
    {
        options.Catalog.Add(new ClerkEmulatorProduct(101, "Wool Sweater", 499.95m) { Categories = ["knitwear"], Brand = "Nordkap", Url = "/products/101" });
        options.Catalog.Add(new ClerkEmulatorProduct(102, "Rain Jacket", 899m) { Categories = ["outerwear"], Brand = "Fjell" });
        options.Catalog.Add(new ClerkEmulatorProduct(103, "Wool Socks", 79m) { Categories = ["knitwear", "accessories"], Brand = "Nordkap" });
        options.Catalog.Add(new ClerkEmulatorProduct(104, "Down Parka", 1999m) { Categories = ["outerwear"], Brand = "Fjell" });
        options.Catalog.Add(new ClerkEmulatorProduct(105, "Leather Gloves", 349m) { Categories = ["accessories"], Brand = "Nordkap" });
        options.Catalog.Add(new ClerkEmulatorProduct(106, "Linen Shirt", 299m) { Categories = ["shirts"], Brand = "Sol" });
        options.MaxRequestBodyBytes = 4096;
    }
}
