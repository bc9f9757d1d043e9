using System.Globalization;
using SampleShop.Data;

namespace SampleShop.Admin;

/// <summary>
/// The admin's product form, as typed: kept as text, so a form with a mistake comes back with exactly what was
/// entered, next to what is wrong with it.
/// </summary>
public sealed record ProductEditForm(string Name, string Price, string Stock)
{
    public const int MaxNameLength = 200;

    public const decimal MaxPrice = 99_999_999.99m;

    public const int MaxStock = 1_000_000;

    public const string NameField = "name";

    public const string PriceField = "price";

    public const string StockField = "stock";

    /// <summary>The product's values as the form shows them (prices with a point, as a number field sends them).</summary>
    public static ProductEditForm From(Product product) => new(
        product.Name,
        product.Price.ToString("0.00", CultureInfo.InvariantCulture),
        product.Stock.ToString(CultureInfo.InvariantCulture));

    public static ProductEditForm From(IFormCollection form) => new(
        form[NameField].ToString(),
        form[PriceField].ToString(),
        form[StockField].ToString());

    /// <summary>Checks the form; false with a message per field that is wrong.</summary>
    public bool TryValidate(out ProductEdit edit, out IReadOnlyDictionary<string, string> errors)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);

        var name = Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            found[NameField] = $"Enter a name of 1 to {MaxNameLength} characters.";
        }
        else if (name.Any(char.IsControl))
        {
            found[NameField] = "The name cannot contain line breaks or other control characters.";
        }

        // A number field sends "1299.95" whatever the browser's language; the invariant culture reads exactly that.
        if (!decimal.TryParse(Price.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price))
        {
            found[PriceField] = "Enter the price as a number, such as 1299.95.";
        }
        else if (price < 0)
        {
            found[PriceField] = "The price cannot be negative.";
        }
        else if (price != decimal.Round(price, 2))
        {
            found[PriceField] = "The price can have at most 2 decimals.";
        }
        else if (price > MaxPrice)
        {
            found[PriceField] = $"The price can be at most {MaxPrice.ToString("0.00", CultureInfo.InvariantCulture)}.";
        }

        if (!int.TryParse(Stock.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var stock) || stock is < 0 or > MaxStock)
        {
            found[StockField] = $"Enter the stock as a whole number from 0 to {MaxStock.ToString(CultureInfo.InvariantCulture)}.";
        }

        errors = found;
        edit = found.Count == 0 ? new ProductEdit(name, decimal.Round(price, 2), stock) : default;
        return found.Count == 0;
    }
}

/// <summary>A valid edit of a product: its name, price and stock.</summary>
public readonly record struct ProductEdit(string Name, decimal Price, int Stock);
