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

    /// <summary>Gets the Clerk store (public key) every row of this app belongs to.</summary>
    public string Store => clerkOptions.Value.PublicKey ?? "";

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

/// <summary>A context and, when it was made for the caller, the scope that owns it.</summary>
internal readonly struct ContextLease<TContext>(TContext context, AsyncServiceScope? scope) : IAsyncDisposable
    where TContext : DbContext
{
    public TContext Context { get; } = context;

    public ValueTask DisposeAsync() => scope?.DisposeAsync() ?? ValueTask.CompletedTask;
}
