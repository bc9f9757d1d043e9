using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// The consent of the tools added with <c>AddClerkConsentTool</c>: the first tool whose cookie holds an answer for
/// Clerk's category (granted or denied) decides. Without one — no cookie yet, the category not in it, a value that
/// cannot be read — the visitor is undecided: the tool is the shop's consent system, so no answer in it means the
/// visitor has not decided, whatever another source would assume. Except for Global Privacy Control: an undecided
/// visitor who sends <c>Sec-GPC: 1</c> is left to it (no opinion here), so GPC still declines for them; an explicit
/// choice in the tool outranks GPC, as every resolver does.
/// </summary>
internal sealed class ConsentToolResolver(ConsentTools tools, IOptions<ClerkOptions> options) : IClerkConsentResolver
{
    public ClerkConsent? ResolveConsent(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var tool in tools.All)
        {
            if (tool.Read(context.Request) is var consent and not ClerkConsent.Undecided)
            {
                return consent;
            }
        }

        return options.Value.HonorGlobalPrivacyControl && ConsentEvaluator.IsGlobalPrivacyControlSignal(context.Request.Headers)
            ? null
            : ClerkConsent.Undecided;
    }
}
