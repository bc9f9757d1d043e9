using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SampleShop.Pages;

/// <summary>
/// Razor Pages runs a page even when no handler matches the request's method: a <c>TRACE</c> or <c>PUT</c> to a
/// product page would render it without its product and fail with a 500. This filter answers 405 instead, with the
/// methods the page does handle in <c>Allow</c> (HEAD is served by a page's GET handler).
/// </summary>
public sealed class DeclaredHandlersOnly : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var handlers = context.ActionDescriptor.HandlerMethods;
        if (context.HandlerMethod is null && handlers.Count > 0)
        {
            var allowed = handlers.Select(h => h.HttpMethod.ToUpperInvariant()).Distinct().ToList();
            if (allowed.Contains("GET"))
            {
                allowed.Add("HEAD");
            }

            context.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Task.CompletedTask;
        }

        return next();
    }
}
