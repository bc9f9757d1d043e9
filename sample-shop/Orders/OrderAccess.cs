using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;

namespace SampleShop.Orders;

/// <summary>
/// Only the browser that placed an order sees its confirmation page (and so sends its sale): a cookie scoped to
/// the order's path carries a random key. Anyone else, a guessed order number or a link-preview bot, gets 404.
/// </summary>
public static class OrderAccess
{
    public static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string CookieName(string number) => $"shop_order_{number}";

    public static void Grant(HttpContext context, Order order) =>
        context.Response.Cookies.Append(CookieName(order.Number), order.AccessKey, new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = $"{context.Request.PathBase}/orders/{order.Number}",
            MaxAge = TimeSpan.FromDays(30),
        });

    /// <summary>The order with this number, if this browser placed it; <see langword="null"/> for anyone else (404).</summary>
    public static async Task<Order?> FindGrantedAsync(IQueryable<Order> orders, HttpContext context, string number)
    {
        var order = await orders.FirstOrDefaultAsync(o => o.Number == number, context.RequestAborted);
        return order is not null && IsGranted(context, order) ? order : null;
    }

    public static bool IsGranted(HttpContext context, Order order) =>
        context.Request.Cookies[CookieName(order.Number)] is { } key
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(order.AccessKey));
}
