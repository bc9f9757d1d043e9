using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SampleShop.Admin;

/// <summary>
/// Runs before every handler of the pages in <c>Pages/Admin</c>: 404 while the admin is off (the pages are not even
/// mapped then, <see cref="AdminSetup"/>; this is the second lock), 403 with the key form for a browser without admin
/// access. Admin answers are never cached: they show what only the admin may see.
/// </summary>
public sealed class AdminGate : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<AdminAccess>();
        http.Response.Headers.CacheControl = "no-store";
        if (!access.IsEnabled)
        {
            context.Result = new NotFoundResult();
            return Task.CompletedTask;
        }

        if (context.HandlerInstance is not AdminPageModel page)
        {
            // A page in the admin's folder that is not an admin page: refused, rather than shown to anyone.
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return Task.CompletedTask;
        }

        if (page.RequiresKey && !access.HasAccess(http))
        {
            page.Locked = true;
            context.Result = new PageResult { StatusCode = StatusCodes.Status403Forbidden };
            return Task.CompletedTask;
        }

        return next();
    }
}
