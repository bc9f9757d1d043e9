namespace SampleShop.Forms;

/// <summary>
/// What went wrong with a form, passed to the next page as a code (<c>?error=QuantityOutOfRange</c>) so that a link
/// can never put words of its own on the shop's pages.
/// </summary>
public enum ShopMessage
{
    ProductNotFound,
    QuantityOutOfRange,
    ChooseVariant,
    UnknownVariant,
    CartFull,
    LineGone,
    CartEmpty,
    EmailInvalid,
    OrderNumberInvalid,
}

public static class ShopMessages
{
    public static string Text(ShopMessage message) => message switch
    {
        ShopMessage.ProductNotFound => "That product does not exist.",
        ShopMessage.QuantityOutOfRange => $"Choose a quantity from 1 to {Cart.ShopCart.MaxQuantity}.",
        ShopMessage.ChooseVariant => "Choose a size and colour.",
        ShopMessage.UnknownVariant => "Choose one of the sizes and colours shown.",
        ShopMessage.CartFull => $"Your cart holds at most {Cart.ShopCart.MaxLines} different items.",
        ShopMessage.LineGone => "That item is no longer in your cart.",
        ShopMessage.CartEmpty => "Your cart is empty.",
        ShopMessage.EmailInvalid => "Enter the e-mail address for your receipt.",
        ShopMessage.OrderNumberInvalid => "Enter the number of your order as it is on your receipt, such as NG-12345678.",
        _ => "Something was not right; please try again.",
    };

    /// <summary>The text for an <c>?error=</c> code, or <see langword="null"/> for anything else.</summary>
    public static string? FromQuery(string? code) =>
        Enum.TryParse<ShopMessage>(code, ignoreCase: false, out var message) && Enum.IsDefined(message) && !int.TryParse(code, out _)
            ? Text(message)
            : null;
}
