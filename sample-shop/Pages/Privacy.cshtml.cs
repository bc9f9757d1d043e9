using Clerk.AspNetCore;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SampleShop.Pages;

public sealed class PrivacyModel : PageModel
{
    public IClerkVisitorFeature? Visitor { get; private set; }

    public void OnGet() => Visitor = HttpContext.GetClerkVisitor();
}
