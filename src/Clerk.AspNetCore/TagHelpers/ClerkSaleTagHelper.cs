using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.TagHelpers.Markup;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-sale order-id="@o.Number" email="@o.Email" lines="@o.ClerkLines" /&gt;</c>, on the order
/// confirmation page: Clerk's <c>log/sale</c> span, which Clerk.js sends with the visitor it tracked, and
/// <c>Clerk('cart','set',[])</c> to empty Clerk's copy of the cart. Rendered <b>once per order</b>: the first render
/// claims the order in <see cref="IClerkSaleLedger"/>, and refreshes, the back button and second tabs render nothing.
/// With <see cref="ClerkSaleTracking.ServerSide"/> it renders no sale (the server sends it); with
/// <see cref="ClerkSaleTracking.ServerSideWithClientFallback"/> it renders the sale only for an order the server did not claim.
/// </summary>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class ClerkSaleTagHelper : TagHelper
{
    private const string TagName = "clerk-sale";
    private const string OrderIdAttributeName = "order-id";
    private const string EmailAttributeName = "email";
    private const string CustomerAttributeName = "customer";
    private const string LinesAttributeName = "lines";
    private const string NonceAttributeName = "nonce";

    private readonly ClerkOptions _options;
    private readonly MarkupDiagnostics _diagnostics;
    private readonly IClerkSaleLedger _ledger;
    private readonly DeliveryHealth _health;
    private readonly ProductIdTypes _idTypes;
    private readonly MarkupServices _markup;

    // The public key of the request's store, once the order is claimed for it.
    private string? _store;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkSaleTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _markup = markup;
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
        _ledger = markup.SaleLedger;
        _health = markup.Health;
        _idTypes = markup.IdTypes;
    }

    /// <summary>The order number, the same one the order feed uses. Required.</summary>
    [HtmlAttributeName(OrderIdAttributeName)]
    public string? OrderId { get; set; }

    /// <summary>
    /// The customer's e-mail address; sent when <see cref="ClerkOptions.CollectEmails"/> is on and the visitor has not
    /// declined tracking.
    /// </summary>
    [HtmlAttributeName(EmailAttributeName)]
    public string? Email { get; set; }

    /// <summary>The shop's customer ID, for customers with an account; not sent when the visitor declined tracking.</summary>
    [HtmlAttributeName(CustomerAttributeName)]
    public string? Customer { get; set; }

    /// <summary>The order's lines: parent product ID, unit price and quantity of each. At least one.</summary>
    [HtmlAttributeName(LinesAttributeName)]
    public IEnumerable<ClerkSaleLine>? Lines { get; set; }

    /// <summary>The CSP nonce for the inline script; defaults to <see cref="ClerkOptions.CspNonce"/>.</summary>
    [HtmlAttributeName(NonceAttributeName)]
    public string? Nonce { get; set; }

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc/>
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.SuppressOutput();
        if (!_options.Enabled)
        {
            return;
        }

        var httpContext = ViewContext.HttpContext;
        if (_options.EffectiveSaleTracking == ClerkSaleTracking.ServerSide)
        {
            // The server sends the sale (IClerkTracker.TrackSaleAsync); Clerk.js, if it runs, still empties its cart.
            if (_options.Mode == ClerkIntegrationMode.ClerkJs)
            {
                WriteCartReset(httpContext, output);
            }

            return;
        }

        var claimed = false;
        try
        {
            var lines = Lines as IReadOnlyList<ClerkSaleLine> ?? Lines?.ToArray();
            if (ClerkSaleValidator.Problem(OrderId, lines) is { } problem)
            {
                _diagnostics.SaleInvalid(problem);
                return;
            }

            // A valid sale's lines share one ID type, so its first line speaks for them all.
            _idTypes.Seen(lines![0].ParentProductId, ProductIdSource.SaleMarkup);

            var orderId = OrderId!;
            if (_markup.Stores.For(httpContext) is not { } store)
            {
                return;
            }

            _store = store.PublicKey;
            if (!await _ledger.TryClaimAsync(_store, orderId, httpContext.RequestAborted))
            {
                Suppressed(orderId, store.Name, output);
                return;
            }

            claimed = true;
            Render(orderId, lines!, httpContext, output);
            ReleaseIfThePageFails(orderId, httpContext);
            _diagnostics.Logger.SaleRendered(orderId, lines!.Count);
            _diagnostics.Metrics.SaleRendered(store.Name);
            _health.SaleSent();
        }
        catch (Exception exception) when (!_diagnostics.IsDevelopment)
        {
            output.SuppressOutput();
            _diagnostics.Failed(TagName, exception);
            await ReleaseAsync(claimed);
        }
        catch
        {
            await ReleaseAsync(claimed);
            throw;
        }
    }

    private async Task ReleaseAsync(bool claimed)
    {
        if (!claimed)
        {
            return;
        }

        try
        {
            await _ledger.ReleaseAsync(_store!, OrderId!, CancellationToken.None);
        }
        catch (Exception exception) when (!_diagnostics.IsDevelopment)
        {
            // A shared ledger that is down must not take the page with it; the order simply stays claimed.
            SaleLedgerFailures.ReleaseFailed(_diagnostics.Logger, _diagnostics.Metrics, OrderId!, exception);
        }
    }

    private void Render(string orderId, IReadOnlyList<ClerkSaleLine> lines, HttpContext httpContext, TagHelperOutput output)
    {
        var products = MarkupJson.Serialize(lines as ClerkSaleLine[] ?? [.. lines], MarkupJson.SaleLines);

        output.TagName = "span";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "clerk");
        output.Attributes.SetAttribute("data-api", ClerkEndpoints.LogSale);
        output.Attributes.SetAttribute("data-sale", orderId);
        var tracked = httpContext.GetClerkVisitor()?.Mode is ClerkVisitorMode.Persistent or ClerkVisitorMode.Cookieless;
        if (SaleContact.Email(_options.CollectEmails, tracked, Email) is { } email)
        {
            output.Attributes.SetAttribute("data-email", email);
        }

        if (SaleContact.Customer(tracked, Customer) is { } customer)
        {
            output.Attributes.SetAttribute("data-customer", customer);
        }

        MarkupAttributes.SetJson(output, "data-products", products);

        WriteCartReset(httpContext, output);
    }

    // Clerk's extensions empty Clerk's copy of the cart on the confirmation page, so the order is not reminded of.
    private void WriteCartReset(HttpContext httpContext, TagHelperOutput output)
    {
        var nonce = ScriptNonce.For(Nonce, _options, httpContext);
        output.PostElement.SetHtmlContent(nonce is null
            ? new HtmlString("<script>if(window.Clerk){Clerk('cart','set',[]);}</script>")
            : new HtmlContentBuilder(3)
                .AppendHtml("<script nonce=\"")
                .Append(nonce)
                .AppendHtml("\">if(window.Clerk){Clerk('cart','set',[]);}</script>"));
    }

    private void Suppressed(string orderId, string store, TagHelperOutput output)
    {
        _diagnostics.Logger.SaleAlreadySent(orderId);
        _diagnostics.Metrics.SaleSuppressed(store);
        if (_diagnostics.IsDevelopment)
        {
            output.PostElement.AppendHtml("<!-- clerk-sale: the sale for order ")
                .Append(orderId)
                .AppendHtml(" was already sent to Clerk, so it is not rendered again (Clerk counts each order once; see IClerkSaleLedger). -->");
        }
    }

    // The sale is claimed while the page renders; if the page then fails, the browser never gets the sale, so the
    // order goes back to the ledger and showing the page again sends it.
    private void ReleaseIfThePageFails(string orderId, HttpContext httpContext) =>
        httpContext.Response.OnCompleted(async () =>
        {
            if (httpContext.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                _diagnostics.Logger.SaleClaimReleased(orderId, httpContext.Response.StatusCode);

                // The response is complete; nothing is left to break but the claim, which stays if this fails.
                await OrderRelease.ReleaseAsync(_ledger, _diagnostics.Logger, _diagnostics.Metrics, _store!, orderId);
            }
        });
}
