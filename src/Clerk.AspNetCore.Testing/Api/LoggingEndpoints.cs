using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The <c>log/…</c> endpoints: what a visitor did (clicks, product and category views, carts) and the sales that
/// close the attribution chain. Only a sale is stored; the other calls live on as recorded calls.
/// </summary>
internal sealed class LoggingEndpoints(EmulatorCallChecks checks, ClerkEmulatorState state, TimeProvider time)
{
    public IEnumerable<KeyValuePair<string, Func<EmulatorCall, EmulatorResponse>>> Routes =>
    [
        new("log/click", c => checks.Public(c, "product") ?? checks.ProductId(c, "product") ?? EmulatorResponse.Ok()),
        new("log/sale", LogSale),
        new("log/product", c => checks.Public(c, "product") ?? EmulatorResponse.Ok()),
        new("log/category", c => checks.Public(c, "category") ?? EmulatorResponse.Ok()),
        new("log/email", c => checks.Public(c, "email") ?? EmulatorResponse.Ok()),
        new("log/cart/add", LogCart),
        new("log/cart/remove", LogCart),
        new("log/cart/set", LogCart),
        new("log/basket/set", c => checks.Public(c, "products") ?? checks.ProductList(c, "products") ?? EmulatorResponse.Ok()),
        new("log/returned", c => checks.Private(c, "product", "order", "quantity") ?? EmulatorResponse.Ok()),
    ];

    private EmulatorResponse LogCart(EmulatorCall call) => checks.Public(call, "products") ?? EmulatorResponse.Ok();

    private EmulatorResponse LogSale(EmulatorCall call)
    {
        if ((checks.Public(call, "sale", "products") ?? checks.ProductList(call, "products")) is { } invalid)
        {
            return invalid;
        }

        var args = call.Arguments;
        var lines = new List<ClerkEmulatorSaleLine>();
        foreach (var item in args.GetProperty("products").EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object ? item.GetProperty("id") : item;
            decimal? price = null;
            var quantity = 1;
            if (item.ValueKind == JsonValueKind.Object)
            {
                if (item.TryGetProperty("price", out var p))
                {
                    if (!EmulatorJson.TryGetDecimal(p, out var unit) || unit < 0)
                    {
                        return EmulatorResponse.Parsing("Invalid Syntax In Argument: products (price must be a non-negative number)");
                    }

                    price = unit;
                }

                if (item.TryGetProperty("quantity", out var q) && (!EmulatorJson.TryGetInt(q, out quantity) || quantity < 1))
                {
                    return EmulatorResponse.Parsing("Invalid Syntax In Argument: products (quantity must be an integer of at least 1)");
                }
            }

            lines.Add(new ClerkEmulatorSaleLine(EmulatorJson.ScalarText(id)!, id.ValueKind == JsonValueKind.Number, price, quantity));
        }

        var saleId = EmulatorJson.Argument(args, "sale");
        if (string.IsNullOrEmpty(saleId))
        {
            return EmulatorResponse.Parsing("Invalid Argument sale: it must be a non-empty order ID.");
        }

        call.Stamp(state.NextSequence(), time.GetUtcNow());
        var sale = new ClerkEmulatorSale(
            saleId, call.Time!.Value, call.Visitor, EmulatorJson.Argument(args, "email"), EmulatorJson.Argument(args, "customer"), lines, call.Sequence!.Value);
        call.IsDuplicateSale = !state.TryStoreSale(sale);
        return EmulatorResponse.Ok();
    }
}
