using Microsoft.EntityFrameworkCore;
using SampleShop.Data;
using SampleShop.Forms;

namespace SampleShop.Cart;

/// <summary>
/// The visitor's cart, kept in the database under an ID in the <c>shop_cart</c> cookie. The cookie is strictly
/// necessary for the shop to work, so it needs no consent (unlike Clerk's visitor cookie).
/// </summary>
public sealed class ShopCart(IHttpContextAccessor accessor, ShopDbContext db)
{
    public const string CookieName = "shop_cart";
    public const int MaxQuantity = 99;
    public const int MaxLines = 50;

    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("The cart is only available during a request.");

    public async Task<IReadOnlyList<CartLine>> GetLinesAsync(CancellationToken cancellationToken)
    {
        if (ExistingId() is not { } cartId)
        {
            return [];
        }

        return await db.CartLines.Where(l => l.CartId == cartId)
            .Include(l => l.Product).Include(l => l.Variant)
            .OrderBy(l => l.Id).ToListAsync(cancellationToken);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        ExistingId() is { } cartId ? await db.CartLines.Where(l => l.CartId == cartId).SumAsync(l => l.Quantity, cancellationToken) : 0;

    /// <summary>Adds a product; returns a message for the visitor when the input cannot be used.</summary>
    public async Task<ShopMessage?> AddAsync(long productId, long? variantId, int quantity, CancellationToken cancellationToken)
    {
        var product = await db.Products.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return ShopMessage.ProductNotFound;
        }

        if (quantity is < 1 or > MaxQuantity)
        {
            return ShopMessage.QuantityOutOfRange;
        }

        if (variantId is not null && product.Variants.All(v => v.Id != variantId))
        {
            return ShopMessage.UnknownVariant;
        }

        if (variantId is null && product.Variants.Count > 0)
        {
            return ShopMessage.ChooseVariant;
        }

        var cartId = EnsureId();
        var line = await db.CartLines.FirstOrDefaultAsync(l => l.CartId == cartId && l.ProductId == productId && l.VariantId == variantId, cancellationToken);
        if (line is null)
        {
            if (await db.CartLines.CountAsync(l => l.CartId == cartId, cancellationToken) >= MaxLines)
            {
                return ShopMessage.CartFull;
            }

            db.CartLines.Add(new CartLine { CartId = cartId, ProductId = productId, VariantId = variantId, Quantity = quantity });
        }
        else
        {
            line.Quantity = Math.Min(MaxQuantity, line.Quantity + quantity);
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<ShopMessage?> UpdateAsync(int lineId, int quantity, CancellationToken cancellationToken)
    {
        if (quantity is < 0 or > MaxQuantity)
        {
            return ShopMessage.QuantityOutOfRange;
        }

        if (await FindLineAsync(lineId, cancellationToken) is not { } line)
        {
            return ShopMessage.LineGone;
        }

        if (quantity == 0)
        {
            db.CartLines.Remove(line);
        }
        else
        {
            line.Quantity = quantity;
        }

        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task RemoveAsync(int lineId, CancellationToken cancellationToken)
    {
        if (await FindLineAsync(lineId, cancellationToken) is { } line)
        {
            db.CartLines.Remove(line);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        if (ExistingId() is { } cartId)
        {
            await db.CartLines.Where(l => l.CartId == cartId).ExecuteDeleteAsync(cancellationToken);
        }
    }

    private async Task<CartLine?> FindLineAsync(int lineId, CancellationToken cancellationToken) =>
        ExistingId() is { } cartId ? await db.CartLines.FirstOrDefaultAsync(l => l.Id == lineId && l.CartId == cartId, cancellationToken) : null;

    private string? ExistingId()
    {
        var value = Context.Request.Cookies[CookieName];
        return value is { Length: 32 } && value.All(char.IsAsciiHexDigit) ? value : null;
    }

    private string EnsureId()
    {
        if (ExistingId() is { } cartId)
        {
            return cartId;
        }

        cartId = Guid.NewGuid().ToString("N");
        Context.Response.Cookies.Append(CookieName, cartId, new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = Context.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(30),
        });
        return cartId;
    }
}
