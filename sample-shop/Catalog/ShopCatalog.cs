using Clerk.AspNetCore.Testing;

namespace SampleShop.Catalog;

/// <summary>A product as the shop sells it. Clerk knows it by <see cref="Id"/>; variants are sizes or colours of it.</summary>
public sealed record ShopProduct(long Id, string Name, string Description, decimal Price, string Brand, string Category, IReadOnlyList<ShopVariant> Variants)
{
    public string Url => $"/products/{Id}";
}

/// <summary>A variant of a product. Its own ID is the shop's business; Clerk only ever sees <see cref="ParentId"/>.</summary>
public sealed record ShopVariant(long Id, long ParentId, string Label);

/// <summary>
/// The shop's catalog: a small fixed list for now (the real shop issue moves it to a database). The Clerk emulator
/// gets the same products, as Clerk would from the product feed.
/// </summary>
public sealed class ShopCatalog
{
    private static readonly (string Name, string Description, decimal Price, string Brand, string Category)[] Seed =
    [
        ("Wool Beanie", "A warm beanie in soft merino wool.", 199.95m, "Fjeld", "Hats"),
        ("Rain Jacket", "A light jacket that keeps the Nordic rain out.", 1299.00m, "Regn", "Jackets"),
        ("Linen Shirt", "An airy shirt for the three warm days of summer.", 449.50m, "Hav", "Shirts"),
        ("Down Parka", "Long, warm and quiet in the wind.", 2499.00m, "Fjeld", "Jackets"),
        ("Knitted Scarf", "Chunky knit in undyed wool.", 299.00m, "Uld", "Accessories"),
        ("Trail Sneakers", "Grippy soles for wet rocks and city streets.", 899.95m, "Sti", "Shoes"),
        ("Canvas Tote", "Carries groceries, books and a thermos.", 149.00m, "Hav", "Accessories"),
        ("Flannel Shirt", "Brushed cotton for cold mornings.", 499.00m, "Uld", "Shirts"),
        ("Leather Boots", "Resoleable boots that last for years.", 1799.00m, "Sti", "Shoes"),
        ("Sun Hat", "A wide brim for the long light evenings.", 249.95m, "Hav", "Hats"),
        ("Fleece Vest", "Warmth without the sleeves.", 599.00m, "Regn", "Jackets"),
        ("Wool Socks", "Three pairs of thick hiking socks.", 179.00m, "Uld", "Accessories"),
    ];

    private static readonly string[] Sizes = ["S", "M", "L"];

    public ShopCatalog()
    {
        Products = Seed.Select((p, i) =>
        {
            var id = 101L + i;
            var variants = Sizes.Select((size, s) => new ShopVariant(id * 100 + s + 1, id, $"Size {size}")).ToArray();
            return new ShopProduct(id, p.Name, p.Description, p.Price, p.Brand, p.Category, variants);
        }).ToArray();
    }

    public IReadOnlyList<ShopProduct> Products { get; }

    public ShopProduct? Find(long id) => Products.FirstOrDefault(p => p.Id == id);

    /// <summary>The catalog as Clerk's product feed would send it, for the emulator.</summary>
    public IEnumerable<ClerkEmulatorProduct> ForClerk() => Products.Select(p => new ClerkEmulatorProduct(p.Id, p.Name, p.Price)
    {
        Brand = p.Brand,
        Categories = [p.Category],
        Url = p.Url,
    });
}
