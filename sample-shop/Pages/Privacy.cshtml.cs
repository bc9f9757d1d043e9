using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SampleShop.Pages;

public sealed class PrivacyModel : PageModel
{
    public IClerkVisitorFeature? Visitor { get; private set; }

    /// <summary>What was wrong with the "forget me" form, from its <c>?error=</c> code.</summary>
    public string? Error { get; private set; }

    public void OnGet(string? error)
    {
        Visitor = HttpContext.GetClerkVisitor();
        Error = SampleShop.Forms.ShopMessages.FromQuery(error);
    }
}
