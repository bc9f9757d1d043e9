using System.Text.RegularExpressions;

namespace SampleShop.Admin;

/// <summary>The admin's routes, and the only places the key form may send a browser back to.</summary>
public static partial class AdminPaths
{
    public const string Products = "/admin/products";

    public const string Key = "/admin/key";

    public static string Product(long id) => $"{Products}/{id.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// <paramref name="path"/> when it is one of the admin's product pages, otherwise the product list: a return URL
    /// from a form can never send the admin to another site or page (an open redirect).
    /// </summary>
    public static string LocalOrDefault(string? path) =>
        path is not null && ReturnPath().IsMatch(path) ? path : Products;

    [GeneratedRegex("^/admin/products(/[0-9]{1,18})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ReturnPath();
}
