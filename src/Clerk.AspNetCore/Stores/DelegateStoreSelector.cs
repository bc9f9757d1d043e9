using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Stores;

/// <summary>An <see cref="IClerkStoreSelector"/> over a function, for <c>services.AddClerkStoreSelector(context =&gt; ...)</c>.</summary>
internal sealed class DelegateStoreSelector(Func<HttpContext, string?> select) : IClerkStoreSelector
{
    public string? SelectStore(HttpContext context) => select(context);
}
