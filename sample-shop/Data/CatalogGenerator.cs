using System.Globalization;
using Clerk.AspNetCore.Testing;

namespace SampleShop.Data;

/// <summary>
/// The shop's catalog, generated the same way on every machine: 10 categories of 21 products, each in 3 sizes and
/// 2 colours. The database is seeded from it and the Clerk emulator gets it too, as Clerk would from the product
/// feed. Every product has what a feed carries: a SKU, a stock count (every 13th product is out of stock), a creation
/// time spread over a year, and every 7th product is on sale (a list price above its price). Prices are the same
/// whether a product is on sale or not: a sale only adds the list price it is marked down from.
/// </summary>
public static class CatalogGenerator
{
    public const int ProductsPerCategory = 21;

    /// <summary>Product IDs that tests use for catalog data a careless shop would render as markup.</summary>
    public const long HostileScriptProductId = 9001;

    public const long HostileQuotesProductId = 9002;

    /// <summary>The creation time of the oldest product; the others follow within a year.</summary>
    public static readonly DateTimeOffset CatalogEpoch = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string[] Items, decimal BasePrice)[] Departments =
    [
        ("Hats", ["Beanie", "Cap", "Bucket Hat", "Sun Hat", "Earflap Hat"], 149m),
        ("Jackets", ["Rain Jacket", "Parka", "Shell Jacket", "Puffer", "Windbreaker"], 899m),
        ("Shirts", ["Oxford Shirt", "Linen Shirt", "Flannel Shirt", "Overshirt", "Tee"], 249m),
        ("Knitwear", ["Sweater", "Cardigan", "Turtleneck", "Vest", "Hoodie"], 499m),
        ("Trousers", ["Chinos", "Jeans", "Cargo Pants", "Shorts", "Joggers"], 399m),
        ("Shoes", ["Sneakers", "Boots", "Loafers", "Sandals", "Trail Runners"], 699m),
        ("Bags", ["Tote", "Backpack", "Duffel", "Sling Bag", "Weekender"], 299m),
        ("Accessories", ["Scarf", "Gloves", "Socks", "Belt", "Wallet"], 99m),
        ("Home", ["Blanket", "Cushion", "Mug", "Candle", "Throw"], 129m),
        ("Outdoor", ["Thermos", "Sit Pad", "Headlamp", "Tarp", "Camp Stool"], 179m),
    ];

    private static readonly string[] Adjectives = ["Nordic", "Coastal", "Fjord", "Harbour", "Midnight", "Birch", "Granite", "Meadow", "Aurora", "Island", "Pine", "Frost"];
    private static readonly string[] Materials = ["Wool", "Cotton", "Linen", "Leather", "Canvas", "Recycled", "Organic", "Waxed", "Merino", "Felt"];
    private static readonly string[] Brands = ["Fjeld", "Regn", "Hav", "Uld", "Sti", "Lys", "Skov", "Vind"];
    private static readonly string[] Sizes = ["S", "M", "L"];
    private static readonly string[] Colours = ["Navy", "Sand", "Forest", "Charcoal", "Rust", "Oat"];

    public static IReadOnlyList<Category> Generate(bool includeHostileProducts = false)
    {
        var categories = new List<Category>();
        for (var c = 0; c < Departments.Length; c++)
        {
            var (name, items, basePrice) = Departments[c];
            var category = new Category { Id = c + 1, Name = name };
            for (var i = 0; i < ProductsPerCategory; i++)
            {
                var n = c * ProductsPerCategory + i;
                var item = items[i % items.Length];
                var productName = $"{Adjectives[(n * 7 + c) % Adjectives.Length]} {Materials[(n * 3 + i) % Materials.Length]} {item}";
                var price = basePrice + (n * 37 % 400) + (n % 3 == 0 ? 0.95m : 0m);
                var product = NewProduct(1001 + n, productName, price, Brands[n % Brands.Length], category, n);
                product.ListPrice = n % 7 == 2 ? price + decimal.Ceiling(price * 0.25m) : null;
                product.Stock = n % 13 == 12 ? 0 : 1 + (n * 17 % 60);
                product.CreatedAt = CatalogEpoch.AddDays(n * 53 % 365).AddHours(n % 24);
                category.Products.Add(product);
            }

            categories.Add(category);
        }

        if (includeHostileProducts)
        {
            categories[0].Products.Add(NewProduct(HostileScriptProductId, "</script><img src=x onerror=alert(1)>", 13.37m, "<b>Evil</b>", categories[0], 1));
            categories[0].Products.Add(NewProduct(HostileQuotesProductId, "Rain \"Storm\" Jacket – it's 'waterproof' & <warm>", 42.50m, "O'Brien & \"Sons\"", categories[0], 2));
        }

        return categories;
    }

    /// <summary>The catalog as Clerk's product feed would send it.</summary>
    public static IEnumerable<ClerkEmulatorProduct> ForClerk(IEnumerable<Category> categories) =>
        categories.SelectMany(c => c.Products.Select(p => new ClerkEmulatorProduct(p.Id, p.Name, p.Price)
        {
            Brand = p.Brand,
            Categories = [c.Id.ToString(CultureInfo.InvariantCulture)],
            Url = p.Url,
            ImageUrl = p.ImageUrl,
        }));

    private static Product NewProduct(long id, string name, decimal price, string brand, Category category, int n)
    {
        var product = new Product
        {
            Id = id,
            Name = name,
            Price = price,
            Stock = 5,
            Sku = $"{category.Name[..3].ToUpperInvariant()}-{id.ToString(CultureInfo.InvariantCulture)}",
            CreatedAt = CatalogEpoch,
            Brand = brand,
            CategoryId = category.Id,
            Description = $"{name} by {brand}: made to last through {(n % 2 == 0 ? "wet autumns" : "long winters")} and {(n % 3 == 0 ? "bright summer nights" : "city commutes")}. " +
                $"Part of our {category.Name.ToLowerInvariant()} range.",
        };
        var variant = 1;
        foreach (var colour in new[] { Colours[n % Colours.Length], Colours[(n + 2) % Colours.Length] })
        {
            foreach (var size in Sizes)
            {
                product.Variants.Add(new Variant { Id = id * 100 + variant++, ProductId = id, Size = size, Colour = colour });
            }
        }

        return product;
    }
}
