using Clerk.AspNetCore.Api;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Stores;

/// <summary>The store of the request in <see cref="IHttpContextAccessor"/>, or the default store outside a request.</summary>
internal sealed class RequestStoreSource(IHttpContextAccessor accessor, StoreSelection selection) : IClerkStoreSource
{
    public ClerkStore? Current =>
        accessor.HttpContext is { } context ? selection.For(context) : selection.Stores.Default;
}
