using Microsoft.AspNetCore.Http.Features;
using SampleShop.Forms;

namespace SampleShop.Consent;

/// <summary>
/// POST /consent/accept, /consent/decline and /consent/withdraw: the consent banner's buttons. Each answers
/// 303 See Other back to the page the visitor came from (a local <c>returnUrl</c> form field) or the home page; a
/// post without the form's antiforgery token gets 400 and changes nothing.
/// </summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Only the shop's own consent forms: another site's page must not grant (or decline) consent for its visitor.
        // The explicit return types make these route handlers, so that the antiforgery filter applies.
        var consent = endpoints.MapGroup("/consent");
        consent.MapPost("/accept", Task<IResult> (HttpContext context) => Change(context, accept: true)).RequireAntiforgeryToken();
        consent.MapPost("/decline", Task<IResult> (HttpContext context) => Change(context, accept: false)).RequireAntiforgeryToken();

        // Withdrawing is declining after having accepted: the visitor cookie goes in the same response.
        consent.MapPost("/withdraw", Task<IResult> (HttpContext context) => Change(context, accept: false)).RequireAntiforgeryToken();
        return endpoints;
    }

    private static async Task<IResult> Change(HttpContext context, bool accept)
    {
        var tracking = context.Features.Get<ITrackingConsentFeature>()
            ?? throw new InvalidOperationException("UseCookiePolicy() must run before the consent endpoints.");

        if (accept)
        {
            tracking.GrantConsent();
            context.Response.Cookies.Delete(ShopConsent.CookieName);
            context.Items[ShopConsent.AcceptedItem] = true;
        }
        else
        {
            tracking.WithdrawConsent();
            context.Response.Cookies.Append(ShopConsent.CookieName, ShopConsent.Declined, new CookieOptions
            {
                IsEssential = true,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
        }

        // 303: the browser follows with a GET, so a reload never re-posts the form.
        return ShopForm.SeeOther(await ReturnUrl(context));
    }

    private static async Task<string> ReturnUrl(HttpContext context)
    {
        if (context.Request.HasFormContentType)
        {
            var form = await ShopForm.ReadAsync(context);
            var url = form["returnUrl"].ToString();
            if (IsLocal(url))
            {
                return url;
            }
        }

        return "/";
    }

    // Only paths on this site: no "//host" or "/\\host" (open redirects), no control characters.
    private static bool IsLocal(string url) =>
        url.Length > 0 && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
