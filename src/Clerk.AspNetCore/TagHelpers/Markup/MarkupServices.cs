using System.Collections.Concurrent;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>
/// What the tag helpers need from the container, in one singleton. Razor creates tag helpers through their public
/// constructor, which cannot name internal types, so each tag helper takes the service provider and asks for this.
/// </summary>
internal sealed class MarkupServices(IOptions<ClerkOptions> options, MarkupDiagnostics diagnostics, IClerkSaleLedger saleLedger, DeliveryHealth health, ProductIdTypes idTypes, StoreSelection stores)
{
    /// <summary>Chooses the request's Clerk store: its key, language and globals go into the page.</summary>
    public StoreSelection Stores => stores;

    /// <summary>Loaders for the stores with their own Clerk.js (<see cref="ClerkStoreOptions.ClerkJsUrl"/>), by URL.</summary>
    public ConcurrentDictionary<string, string> StoreLoaders { get; } = new(StringComparer.Ordinal);

    public ClerkOptions Options { get; } = options.Value;

    public MarkupDiagnostics Diagnostics => diagnostics;

    public IClerkSaleLedger SaleLedger => saleLedger;

    /// <summary>Told of every sale rendered, so the health check knows sales are flowing.</summary>
    public DeliveryHealth Health => health;

    /// <summary>Told of the product IDs pages use, to compare their type with the product feed's.</summary>
    public ProductIdTypes IdTypes => idTypes;

    /// <summary><c>&lt;clerk-script&gt;</c>'s API-mode click beacon script, built on first use like the loader.</summary>
    public string? BeaconScript { get; set; }

    /// <summary>
    /// <c>&lt;clerk-script&gt;</c>'s loader for <see cref="ClerkOptions.ClerkJsUrl"/>, built on first use. The options
    /// never change after start, so every page can share it (a race only builds the same string twice).
    /// </summary>
    public string? ClerkJsLoader { get; set; }

    /// <summary>
    /// <c>&lt;clerk-script&gt;</c>'s consent-tool listeners and the tools' cookie names (JSON), built on first use: the
    /// consent tools, like the options, never change after start.
    /// </summary>
    public (string Listeners, string CookieNames)? ConsentToolScript { get; set; }

    public static MarkupServices From(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<MarkupServices>()
            ?? throw new InvalidOperationException(
                "The Clerk tag helpers need the Clerk services. Call builder.Services.AddClerk(builder.Configuration) in Program.cs.");
    }
}
