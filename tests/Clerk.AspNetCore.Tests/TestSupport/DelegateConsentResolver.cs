using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Tests.TestSupport;

internal sealed class DelegateConsentResolver(Func<HttpContext, ClerkConsent?> resolve) : IClerkConsentResolver
{
    public int Calls { get; private set; }

    public ClerkConsent? ResolveConsent(HttpContext context)
    {
        Calls++;
        return resolve(context);
    }
}
