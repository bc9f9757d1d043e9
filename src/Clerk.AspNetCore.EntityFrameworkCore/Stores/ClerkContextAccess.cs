using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// Where the stores get their <typeparamref name="TContext"/>: the current request's (writes that belong to the
/// checkout, so that they join its transaction) or a fresh scope's (everything else, so that the stores never touch
/// the shop's pending changes or transaction).
/// </summary>
internal sealed class ClerkContextAccess<TContext>(
    IHttpContextAccessor httpContextAccessor,
    IServiceScopeFactory scopeFactory,
    IOptions<ClerkOptions> clerkOptions)
    where TContext : DbContext, IClerkDbContext
{
    private ClerkSql? _sql;
    private StoreKeys? _stores;

    /// <summary>
    /// Gets the public keys of every Clerk store this app configures (<c>Clerk:Stores</c>, or the one of the short
    /// form <c>Clerk:PublicKey</c>): the outbox rows and sale claims of these are this app's to clean up. Rows of any
    /// other store (one removed from the configuration, another app's in a shared database) are left alone.
    /// </summary>
    public IReadOnlyList<string> Stores => Keys.All;

    /// <summary>
    /// Gets the public key the app's own rows are kept under: the cookieless salts and the midnight grace's visitors,
    /// which belong to the app and not to one of its stores (a visitor's ID is the same in every store). The default
    /// store's (<see cref="ClerkOptions.DefaultStore"/>, else the first by name, as the core chooses it); with the
    /// short form, <c>Clerk:PublicKey</c>, as before several stores.
    /// </summary>
    public string Store => Keys.App;

    private StoreKeys Keys => _stores ??= StoreKeys.From(clerkOptions.Value);

    /// <summary>
    /// The context a catalog change is being saved on (<see cref="ClerkAmbientContext"/>), else the request's when there
    /// is a request; otherwise (a background caller) a new scope's.
    /// </summary>
    public ContextLease<TContext> ForRequest()
    {
        // Catalog sync after a save: the context that saved the change, and its transaction.
        if (ClerkAmbientContext.Current is TContext saving)
        {
            return new ContextLease<TContext>(saving, scope: null);
        }

        var requestServices = httpContextAccessor.HttpContext?.RequestServices;
        if (requestServices is not null)
        {
            try
            {
                return new ContextLease<TContext>(requestServices.GetRequiredService<TContext>(), scope: null);
            }
            catch (ObjectDisposedException)
            {
                // A caller that outlived its request (work started from it and still running) carries an HttpContext
                // whose services are gone: it has no transaction to join any more.
            }
        }

        return Fresh();
    }

    /// <summary>A new scope's context, owned (and disposed) by the lease.</summary>
    public ContextLease<TContext> Fresh()
    {
        var scope = scopeFactory.CreateAsyncScope();
        return new ContextLease<TContext>(scope.ServiceProvider.GetRequiredService<TContext>(), scope);
    }

    /// <summary>The raw SQL of the stores, built once from the context's model and provider.</summary>
    public ClerkSql Sql(TContext context) => _sql ??= ClerkSql.Create(context);
}

/// <summary>The configured stores' public keys, read from <see cref="ClerkOptions"/> as the core's store set reads them.</summary>
internal sealed record StoreKeys(IReadOnlyList<string> All, string App)
{
    public static StoreKeys From(ClerkOptions options)
    {
        if (options.Stores is not { Count: > 0 } stores)
        {
            var key = options.PublicKey ?? "";
            return new StoreKeys(key.Length == 0 ? [] : [key], key);
        }

        var named = stores
            .Where(s => !string.IsNullOrEmpty(s.Value?.PublicKey))
            .OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .Select(s => (Name: s.Key, Key: s.Value.PublicKey!))
            .ToList();
        var app = named.FirstOrDefault(s => string.Equals(s.Name, options.DefaultStore, StringComparison.OrdinalIgnoreCase)).Key
            ?? (named.Count > 0 ? named[0].Key : "");
        return new StoreKeys([.. named.Select(s => s.Key).Distinct(StringComparer.Ordinal)], app);
    }
}

/// <summary>A context and, when it was made for the caller, the scope that owns it.</summary>
internal readonly struct ContextLease<TContext>(TContext context, AsyncServiceScope? scope) : IAsyncDisposable
    where TContext : DbContext
{
    public TContext Context { get; } = context;

    public ValueTask DisposeAsync() => scope?.DisposeAsync() ?? ValueTask.CompletedTask;
}
