using System.Collections.Concurrent;
using System.Globalization;
using Clerk.AspNetCore;
using Clerk.AspNetCore.Visitors;

namespace SampleShop.Orders;

public sealed record OrderLine(long ProductId, long? VariantId, string Name, decimal UnitPrice, int Quantity);

/// <summary>A placed order, with the Clerk visitor captured at checkout (for server-side sales and support).</summary>
public sealed record Order(string Number, string Email, string? CustomerId, IReadOnlyList<OrderLine> Lines, string? ClerkVisitorId, ClerkVisitorMode ClerkVisitorMode)
{
    public decimal Total => Lines.Sum(l => l.UnitPrice * l.Quantity);

    /// <summary>What Clerk gets: the parent product, the price of one item, and how many.</summary>
    public IEnumerable<ClerkSaleLine> ClerkLines => Lines.Select(l => new ClerkSaleLine(l.ProductId, l.UnitPrice, l.Quantity));
}

/// <summary>The shop's orders, in memory for now (the real shop issue moves them to a database).</summary>
public sealed class OrderBook
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private int _next = 10000;

    public Order Place(string email, string? customerId, IReadOnlyList<OrderLine> lines, IClerkVisitorFeature? visitor)
    {
        var number = "NG-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var order = new Order(number, email, customerId, lines, visitor?.VisitorId, visitor?.Mode ?? ClerkVisitorMode.Disabled);
        _orders[number] = order;
        return order;
    }

    public Order? Find(string number) => _orders.GetValueOrDefault(number);
}
