using Microsoft.AspNetCore.Mvc;
using SampleShop.Admin;
using SampleShop.Forms;

namespace SampleShop.Pages.Admin;

/// <summary>
/// <c>/admin/key</c>: the admin gives the key once (a form post: never in a URL, where logs and browser history would
/// keep it), and gets the admin cookie (<see cref="AdminAccess"/>). A wrong key: 403 and the form again.
/// <c>POST /admin/key?handler=signout</c> deletes the cookie.
/// </summary>
public sealed class KeyModel(AdminAccess access) : AdminPageModel
{
    public override bool RequiresKey => false;

    public string ReturnTo { get; private set; } = AdminPaths.Products;

    public string? Error { get; private set; }

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnTo = AdminPaths.LocalOrDefault(returnUrl);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await ShopAntiforgery.ReadValidFormAsync(HttpContext) is not { } form)
        {
            return Rejected();
        }

        ReturnTo = AdminPaths.LocalOrDefault(form["returnUrl"]);
        if (!access.IsKey(form["key"].ToString()))
        {
            Error = "That is not the admin key.";
            var page = Page();
            page.StatusCode = StatusCodes.Status403Forbidden;
            return page;
        }

        access.Grant(HttpContext);
        return SeeOther(ReturnTo);
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (await ShopAntiforgery.ReadValidFormAsync(HttpContext) is null)
        {
            return Rejected();
        }

        AdminAccess.Revoke(HttpContext);
        return SeeOther(AdminPaths.Key);
    }
}
