namespace SampleShop.Data;

public sealed class Category
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public List<Product> Products { get; set; } = [];
}

/// <summary>A product as the shop sells it. Clerk knows it by <see cref="Id"/>, the parent of its variants.</summary>
public sealed class Product
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    /// <summary>The price a visitor pays now: below <see cref="ListPrice"/> while the product is on sale.</summary>
    public decimal Price { get; set; }

    /// <summary>The regular price before a sale; <see langword="null"/> when the product is not on sale.</summary>
    public decimal? ListPrice { get; set; }

    /// <summary>How many are in stock; 0 is out of stock (the shop still takes orders, it has no warehouse).</summary>
    public int Stock { get; set; }

    /// <summary>The shop's stock-keeping unit: never the ID Clerk knows the product by.</summary>
    public required string Sku { get; set; }

    /// <summary>When the product came into the catalog (Clerk's <c>created_at</c>: "new in" and sorting by newest).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public required string Brand { get; set; }

    public int CategoryId { get; set; }

    public Category? Category { get; set; }

    public List<Variant> Variants { get; set; } = [];

    public bool OnSale => ListPrice is { } listPrice && Price < listPrice;

    public bool InStock => Stock > 0;

    public string Url => $"/products/{Id}";

    public string ImageUrl => $"/images/products/{Id}.svg";
}

/// <summary>A size and colour of a product. Its ID is the shop's business; Clerk only ever sees <see cref="ProductId"/>.</summary>
public sealed class Variant
{
    public long Id { get; set; }

    public long ProductId { get; set; }

    public Product? Product { get; set; }

    public required string Size { get; set; }

    public required string Colour { get; set; }

    public string Label => $"{Colour}, {Size}";
}

/// <summary>One line of a visitor's cart; the cart is identified by an essential cookie.</summary>
public sealed class CartLine
{
    public int Id { get; set; }

    public required string CartId { get; set; }

    public long ProductId { get; set; }

    public Product? Product { get; set; }

    public long? VariantId { get; set; }

    public Variant? Variant { get; set; }

    public int Quantity { get; set; }
}

public sealed class Customer
{
    public int Id { get; set; }

    public required string Email { get; set; }
}

/// <summary>A placed order, with the Clerk visitor captured at checkout (for server-side sales and support).</summary>
public sealed class Order
{
    public int Id { get; set; }

    public required string Number { get; set; }

    /// <summary>The secret in the buyer's <c>shop_order_{number}</c> cookie: only the buyer's browser sees the confirmation.</summary>
    public required string AccessKey { get; set; }

    public required string Email { get; set; }

    public int? CustomerId { get; set; }

    public string? ClerkVisitorId { get; set; }

    public required string ClerkVisitorMode { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>
    /// Whether the order waits for the (simulated) payment provider to send the buyer back: no sale and no
    /// confirmation until then. Cleared once, by <c>/checkout/return</c>.
    /// </summary>
    public bool AwaitingPayment { get; set; }

    public List<OrderLine> Lines { get; set; } = [];

    /// <summary>
    /// The market (and Clerk store) the order was placed in, <c>dk</c> or <c>en</c>: its prices are in that market's
    /// currency, and its sale and order feed entry belong to that market's Clerk store.
    /// </summary>
    public string Market { get; set; } = "dk";

    public decimal Total => Lines.Sum(l => l.UnitPrice * l.Quantity);
}

public sealed class OrderLine
{
    public int Id { get; set; }

    public int OrderId { get; set; }

    /// <summary>The parent product: what Clerk gets.</summary>
    public long ProductId { get; set; }

    public long? VariantId { get; set; }

    public required string Name { get; set; }

    /// <summary>The price of one item when the order was placed.</summary>
    public decimal UnitPrice { get; set; }

    public int Quantity { get; set; }
}
