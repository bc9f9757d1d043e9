using System.Text.Encodings.Web;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>
/// Runs tag helpers the way Razor does, on hand-built <see cref="TagHelperContext"/>/<see cref="TagHelperOutput"/>,
/// for one request with a chosen visitor, environment and options.
/// </summary>
internal sealed class TagHelperHarness : IDisposable
{
    public const string PublicKey = "test-public-key";

    private readonly ServiceProvider _services;

    public TagHelperHarness(
        string environment = "Production",
        Action<ClerkOptions>? configure = null,
        IClerkVisitorFeature? visitor = null,
        bool withoutVisitorFeature = false,
        Action<IServiceCollection>? services = null,
        bool validateOptions = true)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        collection.AddSingleton<IHostEnvironment>(new Environment(environment));
        collection.AddClerk(options =>
        {
            options.PublicKey = PublicKey;
            configure?.Invoke(options);
        });
        if (!validateOptions)
        {
            collection.RemoveAll<IValidateOptions<ClerkOptions>>();
        }

        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
        Logs = _services.GetFakeLogCollector();

        HttpContext = NewRequest(withoutVisitorFeature ? null : visitor ?? Visitor.Persistent("AbC123xyZ0987654"));
    }

    public FakeLogCollector Logs { get; }

    public IServiceProvider Services => _services;

    public HttpContext HttpContext { get; private set; }

    /// <summary>Starts a new request (a new page) on the same services, for example a refresh.</summary>
    public HttpContext NewRequest(IClerkVisitorFeature? visitor)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        if (visitor is not null)
        {
            context.Features.Set(visitor);
        }

        HttpContext = context;
        return context;
    }

    public T Create<T>()
        where T : TagHelper
    {
        var helper = ActivatorUtilities.CreateInstance<T>(_services);
        typeof(T).GetProperty("ViewContext")?.SetValue(helper, new ViewContext { HttpContext = HttpContext });
        return helper;
    }

    /// <summary>Runs <paramref name="helper"/> on an element and returns the HTML it writes.</summary>
    public async Task<string> RenderAsync(
        TagHelper helper,
        string tagName,
        TagHelperAttributeList? attributes = null,
        Func<Task<string>>? childContent = null,
        TagMode tagMode = TagMode.StartTagAndEndTag)
    {
        attributes ??= [];
        var context = new TagHelperContext(tagName, new TagHelperAttributeList(attributes), new Dictionary<object, object>(), Guid.NewGuid().ToString("N"));
        var output = new TagHelperOutput(tagName, new TagHelperAttributeList(attributes), async (_, _) =>
        {
            var content = new DefaultTagHelperContent();
            content.SetHtmlContent(childContent is null ? string.Empty : await childContent());
            return content;
        })
        {
            TagMode = tagMode,
        };

        helper.Init(context);
        await helper.ProcessAsync(context, output);

        // As Razor does: content the tag helper left alone is the element's own child content.
        if (!output.IsContentModified)
        {
            output.Content.SetHtmlContent(await output.GetChildContentAsync());
        }

        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

    public static IDocument Parse(string html) => new HtmlParser().ParseDocument($"<!DOCTYPE html><html><head></head><body>{html}</body></html>");

    public void Dispose() => _services.Dispose();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>A visitor as the middleware would publish it.</summary>
internal sealed record Visitor(ClerkConsent Consent, ClerkVisitorMode Mode, string? VisitorId, bool IsNewVisitor) : IClerkVisitorFeature
{
    public static Visitor Persistent(string id) => new(ClerkConsent.Granted, ClerkVisitorMode.Persistent, id, false);

    public static Visitor Cookieless(string id) => new(ClerkConsent.Undecided, ClerkVisitorMode.Cookieless, id, false);

    public static Visitor Disabled() => new(ClerkConsent.Denied, ClerkVisitorMode.Disabled, null, false);
}
