using Clerk.AspNetCore;
using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Reads a consent management platform's consent cookie for Clerk.</summary>
public static class ClerkConsentToolServiceCollectionExtensions
{
    /// <summary>
    /// Takes the visitor's consent from a consent tool's cookie: <c>CookieConsent</c> (Cookiebot), <c>OptanonConsent</c>
    /// (OneTrust) or <c>cookieyes-consent</c> (CookieYes). The category Clerk is listed under must be accepted for a
    /// persistent visitor ID; declined, Clerk gets no visitor; no answer yet (no cookie, or the tool's first-visit
    /// defaults), the visitor is undecided (cookieless by default) unless Global Privacy Control declines. It is
    /// asked before the other consent sources, like the app's own resolvers. In Clerk.js mode <c>&lt;clerk-script&gt;</c>
    /// also listens for the tool's consent events and gives Clerk.js the new visitor without a reload (from the
    /// visitor endpoint of <c>app.MapClerkTracking()</c>). Adding the same tool again replaces its category.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="tool">The consent tool.</param>
    /// <param name="category">The category the shop lists Clerk under in the tool.</param>
    /// <param name="toolCategory">
    /// The tool's own name of the category, when it is not the standard one for <paramref name="category"/>: a OneTrust
    /// group ID of the account's own (<c>C0005</c>), a Cookiebot or CookieYes category name. Optional.
    /// </param>
    /// <returns>The same <paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tool"/> or <paramref name="category"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="toolCategory"/> is empty or white space.</exception>
    public static IServiceCollection AddClerkConsentTool(
        this IServiceCollection services,
        ClerkConsentTool tool,
        ClerkConsentCategory category,
        string? toolCategory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Enum.IsDefined(tool))
        {
            throw new ArgumentOutOfRangeException(nameof(tool), tool, "Use ClerkConsentTool.Cookiebot, OneTrust or CookieYes.");
        }

        if (!Enum.IsDefined(category))
        {
            throw new ArgumentOutOfRangeException(nameof(category), category, "Use ClerkConsentCategory.Statistics, Marketing or Performance.");
        }

        if (toolCategory is not null && string.IsNullOrWhiteSpace(toolCategory))
        {
            throw new ArgumentException("Leave toolCategory out for the tool's standard name of the category, or give the name the tool uses (a OneTrust group ID such as C0005).", nameof(toolCategory));
        }

        // One registry instance, found among the registrations, so that every call adds to it before the app is built.
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(ConsentTools))?.ImplementationInstance as ConsentTools;
        if (registry is null)
        {
            registry = new ConsentTools();
            services.AddSingleton(registry);
        }

        registry.Add(new ConsentToolRegistration(tool, toolCategory?.Trim() ?? ConsentToolRegistration.CategoryOf(tool, category)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IClerkConsentResolver, ConsentToolResolver>());
        return services;
    }
}
