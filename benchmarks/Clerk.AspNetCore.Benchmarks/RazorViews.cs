using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// Renders the Razor views in <c>Views/Bench</c> as MVC renders a view for a request: find the view, run the page,
/// write its buffer. So a hand-written view and a view with Clerk's tag helpers are compared the way a shop runs them.
/// </summary>
internal sealed class RazorViews
{
    private readonly IServiceProvider _services;
    private readonly IServiceScopeFactory _scopes;
    private readonly IRazorViewEngine _engine;
    private readonly HttpContext _http;
    private readonly ActionContext _action;
    private readonly ITempDataDictionary _tempData;
    private readonly EmptyModelMetadataProvider _metadata = new();

    public RazorViews(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(RazorViews).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddControllersWithViews();
        configure(builder.Services);
        _services = builder.Build().Services;

        _scopes = _services.GetRequiredService<IServiceScopeFactory>();
        _engine = _services.GetRequiredService<IRazorViewEngine>();
        _http = new DefaultHttpContext();
        _http.Features.Set<IClerkVisitorFeature>(new BenchmarkVisitor());
        _action = new ActionContext(_http, new RouteData(), new ActionDescriptor());
        _tempData = _services.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(_http);
    }

    public async Task<string> RenderAsync(string name, object model)
    {
        // A request scope per render, as for a request: Razor's view buffers are leased from a scoped service and
        // returned when the scope ends.
        await using var scope = _scopes.CreateAsyncScope();
        _http.RequestServices = scope.ServiceProvider;
        var view = _engine.GetView(executingFilePath: null, $"/Views/Bench/{name}.cshtml", isMainPage: true).EnsureSuccessful(originalLocations: null).View!;
        using var writer = new StringWriter();
        var viewData = new ViewDataDictionary(_metadata, new ModelStateDictionary()) { Model = model };
        await view.RenderAsync(new ViewContext(_action, view, viewData, _tempData, writer, new HtmlHelperOptions()));
        return writer.ToString();
    }

    /// <summary>Renders both views and fails unless they produce the same HTML: the comparison is only fair then.</summary>
    public void AssertSameHtml(string byHand, string withClerk, object model)
    {
        var expected = RenderAsync(byHand, model).GetAwaiter().GetResult();
        var actual = RenderAsync(withClerk, model).GetAwaiter().GetResult();
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{byHand} and {withClerk} must render the same HTML.\n{byHand}:\n{expected}\n{withClerk}:\n{actual}");
        }
    }

    private sealed class BenchmarkVisitor : IClerkVisitorFeature
    {
        public ClerkConsent Consent => ClerkConsent.Granted;

        public ClerkVisitorMode Mode => ClerkVisitorMode.Persistent;

        public string? VisitorId => "AbC123xyZ0987654";

        public bool IsNewVisitor => false;
    }
}
