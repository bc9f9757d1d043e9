using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SampleShop.Forms;

namespace SampleShop.Admin;

/// <summary>
/// A page of the shop's admin (<c>Pages/Admin</c>). <see cref="AdminGate"/> runs before its handlers: with no admin
/// access the page is answered 403 with the key form (<see cref="Locked"/>) and its handler never runs, so no product
/// data is loaded or shown. Form posts are read and checked with the shop's own antiforgery helper (the size-capped
/// <see cref="ShopAntiforgery.ReadValidFormAsync"/>), so Razor Pages' automatic check, which would read any form first,
/// is turned off here.
/// </summary>
[IgnoreAntiforgeryToken]
public abstract class AdminPageModel : PageModel
{
    /// <summary>Whether the page is only for an admin who gave the key (all but the key form itself).</summary>
    public virtual bool RequiresKey => true;

    /// <summary>Set by <see cref="AdminGate"/>: no admin access, the page shows the key form instead of its data.</summary>
    public bool Locked { get; internal set; }

    /// <summary>Where the key form sends the admin back to: this page.</summary>
    public string ReturnUrl => AdminPaths.LocalOrDefault(Request.Path.Value);

    /// <summary>400 for a post without the form's antiforgery token, as the shop's other forms answer it.</summary>
    protected static IActionResult Rejected() => new ContentResult
    {
        Content = ShopAntiforgery.Rejection,
        ContentType = "text/plain; charset=utf-8",
        StatusCode = StatusCodes.Status400BadRequest,
    };

    /// <summary>303 See Other: the browser GETs the next page, so a refresh never posts the form again.</summary>
    protected IActionResult SeeOther(string path)
    {
        Response.Headers.Location = path;
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }
}

/// <summary>What the key form shows: where to go back to once the key is right, and what went wrong.</summary>
public sealed record AdminKeyPrompt(string ReturnUrl, string? Error = null);
