using Microsoft.AspNetCore.Antiforgery;

namespace SampleShop.Forms;

/// <summary>
/// Antiforgery for the shop's form posts (consent, cart, checkout). Without it, any other site could auto-submit a form
/// that grants consent for its visitor, fills their cart or places an order in their name: the browser would send the
/// shop's cookies along. The forms render a token (<c>asp-antiforgery="true"</c>) that belongs to the
/// <see cref="CookieName"/> cookie; a post without both, or with a token of another browser, is answered 400 and
/// changes nothing.
/// </summary>
public static class ShopAntiforgery
{
    /// <summary>
    /// The antiforgery cookie: strictly necessary (it protects the consent buttons themselves), HttpOnly,
    /// SameSite=Strict, and for the browser session only.
    /// </summary>
    public const string CookieName = "shop_antiforgery";

    public const string Rejection =
        "This form did not come from this shop's own page, or it has expired. Go back, reload the page and send the form again.";

    public static IServiceCollection AddShopAntiforgery(this IServiceCollection services) =>
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = CookieName;

            // One cookie for the whole site: by default it follows the path base, so the English market (/en) would
            // get a second cookie of the same name and a form could be checked against the wrong one.
            options.Cookie.Path = "/";
        });

    /// <summary>Lets the endpoint run only for a form post that carries a valid antiforgery token.</summary>
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
            await IsValidAsync(invocation.HttpContext)
                ? await next(invocation)
                : Results.Text(Rejection, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest));

    /// <summary>
    /// The posted form when it carries a valid antiforgery token, otherwise <see langword="null"/> (answer 400 with
    /// <see cref="Rejection"/>): for pages that handle their own posts, such as the admin's.
    /// </summary>
    public static async Task<IFormCollection?> ReadValidFormAsync(HttpContext context)
    {
        // The form is read here, within the shop's size limits, so that the antiforgery check (which looks for the
        // token in it) never reads a body of any size; the endpoint then gets the same form.
        if (await ShopForm.TryReadAsync(context) is not { } form)
        {
            return null;
        }

        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        return await antiforgery.IsRequestValidAsync(context) ? form : null;
    }

    private static async Task<bool> IsValidAsync(HttpContext context) => await ReadValidFormAsync(context) is not null;
}
