using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The emulator's inspector, at its root: its stores (each with its counts and a link to look at it, <c>?store=</c>),
/// then, for the store looked at (the default store without <c>?store=</c>): sales with their attribution, visitors, one visitor's timeline
/// (shown → clicked → bought), the catalog, the last import of the shop's feeds, the real-time sync calls, and every
/// call as it arrives, errors with Clerk's message. Plain server-rendered HTML;
/// every recorded value is HTML-encoded, e-mail addresses are masked, and the only script re-fetches the page to stay
/// live.
/// </summary>
internal static class InspectorPage
{
    private const int MaxCallsShown = 200;
    private const int MaxProductsShown = 25;
    private const int MaxSyncCallsShown = 50;
    private const int MaxIdsShown = 20;

    /// <summary>The page of the store whose public key is <paramref name="store"/> (the default store when null).</summary>
    public static string Render(ClerkEmulatorStores stores, string? store, string? visitor)
    {
        var state = store is null ? stores.Default : stores.Find(store);
        var html = new StringBuilder(16 * 1024);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Clerk emulator · inspector</title>
            <style>
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2a33;background:#f4f6f5}
            header{background:#1d2a33;color:#fff;padding:.8rem 1.5rem;display:flex;gap:1rem;align-items:baseline}
            header h1{font-size:1.1rem;margin:0} header span{opacity:.7}
            main{padding:1rem 1.5rem;max-width:90rem} section{background:#fff;border:1px solid #dfe5e2;border-radius:6px;margin:0 0 1rem;padding:.6rem 1rem}
            h2{font-size:1rem;margin:.3rem 0 .6rem} table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:.25rem .5rem;border-top:1px solid #eef1ef;vertical-align:top}
            th{font-weight:600;color:#5b6b76} td.nowrap{white-space:nowrap} code{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
            .error td{background:#fdecec} .ok{color:#0b6e4f} .bad{color:#b3261e;font-weight:600} .muted{color:#5b6b76}
            .step{display:inline-block;min-width:5.5rem;font-weight:600} a{color:#0b6e4f} tr.current td{background:#e8f3ee;font-weight:600}
            </style></head><body>
            <header><h1>Clerk emulator</h1><span>calls, visitors and sales as Clerk would see them</span>
            <label style="margin-left:auto"><input type="checkbox" id="live" checked> live</label></header>
            <main id="content">
            """);

        RenderStores(html, stores, state);
        if (state is null)
        {
            html.Append("<section id=\"unknown-store\"><p class=\"bad\">No store has the public key <code>").Append(E(store!))
                .Append("</code>. Pick one of the stores above.</p></section>");
        }
        else
        {
            RenderSales(html, state);
            RenderVisitors(html, state);
            if (visitor is not null)
            {
                RenderTimeline(html, state, visitor);
            }

            RenderImport(html, state);
            RenderSync(html, state);
            RenderCatalog(html, state);
            RenderCalls(html, state);
        }

        html.Append("""
            </main>
            <script>
            // Keeps the page live: re-fetch it every two seconds and swap the content, unless paused.
            setInterval(function () {
              if (!document.getElementById('live').checked) { return; }
              fetch(location.href, { cache: 'no-store' }).then(function (r) { return r.text(); }).then(function (text) {
                var next = new DOMParser().parseFromString(text, 'text/html').getElementById('content');
                if (next) { document.getElementById('content').replaceWith(next); }
              }).catch(function () {});
            }, 2000);
            </script>
            </body></html>
            """);
        return html.ToString();
    }

    /// <summary>
    /// Every store, with its counts and a link to look at it: a shop with a store per language or country sends each
    /// store's calls with that store's key, and Clerk keeps them apart, so the page shows one store at a time.
    /// </summary>
    private static void RenderStores(StringBuilder html, ClerkEmulatorStores stores, ClerkEmulatorState? current)
    {
        html.Append("<section id=\"stores\"><h2>Stores (").Append(stores.Count).Append(")</h2>");
        if (current is not null)
        {
            html.Append("<p>Showing store <code id=\"current-store\">").Append(E(current.PublicKey)).Append("</code>")
                .Append(current == stores.Default ? " <span class=\"muted\">(the default store)</span>" : string.Empty)
                .Append(": everything below is this store's alone.</p>");
        }

        html.Append("<table><tr><th>store (public key)</th><th>calls</th><th>sales</th><th>products</th><th>last import</th></tr>");
        foreach (var state in stores)
        {
            var summary = state.GetSalesSummary();
            html.Append(state == current ? "<tr class=\"current\">" : "<tr>")
                .Append("<td><a href=\"").Append(StoreQuery(state)).Append('"').Append(state == current ? " aria-current=\"page\"" : string.Empty)
                .Append("><code>").Append(E(state.PublicKey)).Append("</code></a>")
                .Append(state == stores.Default ? " <span class=\"muted\">default</span>" : string.Empty).Append("</td>")
                .Append("<td>").Append(state.GetCalls().Count).Append("</td>")
                .Append("<td>").Append(summary.Distinct).Append("</td>")
                .Append("<td>").Append(state.GetProducts().Count).Append("</td>")
                .Append("<td>").Append(state.LastImport switch
                {
                    null => "<span class=\"muted\">none</span>",
                    { FinishedAt: null } => "<span class=\"muted\">running</span>",
                    { Succeeded: true } import => $"<span class=\"ok\">ok</span> {Time(import.FinishedAt!.Value)}",
                    var import => $"<span class=\"bad\">failed</span> {Time(import.FinishedAt!.Value)}",
                }).Append("</td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void RenderSales(StringBuilder html, ClerkEmulatorState state)
    {
        var sales = state.GetSales();
        html.Append("<section id=\"sales\"><h2>Sales (").Append(sales.Count).Append(")</h2>");
        if (sales.Count == 0)
        {
            html.Append("<p class=\"muted\">No sale yet. Sales arrive through <code>log/sale</code>.</p></section>");
            return;
        }

        html.Append("<table><tr><th>sale</th><th>visitor</th><th>products (id × quantity @ unit price)</th><th>Clerk-influenced</th><th>labels</th><th>duplicates</th></tr>");
        foreach (var sale in sales.AsEnumerable().Reverse())
        {
            var report = state.GetSale(sale.SaleId)!;
            html.Append("<tr><td><code>").Append(E(sale.SaleId)).Append("</code></td><td>").Append(VisitorLink(state, sale.Visitor)).Append("</td><td><code>");
            html.AppendJoin(", ", sale.Products.Select(p => E($"{p.ProductId} × {p.Quantity} @ {p.Price?.ToString(CultureInfo.InvariantCulture) ?? "?"}")));
            html.Append("</code></td><td>").Append(report.ClerkInfluenced ? "<span class=\"ok\">yes</span>" : "<span class=\"muted\">no</span>")
                .Append("</td><td>").Append(E(string.Join(", ", report.Labels)))
                .Append("</td><td>").Append(report.Duplicates.Count == 0 ? "0" : $"<span class=\"bad\">{report.Duplicates.Count} ignored</span>")
                .Append("</td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void RenderVisitors(StringBuilder html, ClerkEmulatorState state)
    {
        var visitors = state.GetCalls().Where(c => c.Visitor is not null)
            .GroupBy(c => c.Visitor!, StringComparer.Ordinal)
            .Select(g => (Visitor: g.Key, Calls: g.Count(), Last: g.Max(c => c.Time)))
            .OrderByDescending(v => v.Last)
            .Take(50)
            .ToList();
        html.Append("<section id=\"visitors\"><h2>Visitors</h2>");
        if (visitors.Count == 0)
        {
            html.Append("<p class=\"muted\">No call with a visitor ID yet.</p></section>");
            return;
        }

        html.Append("<p>");
        html.AppendJoin(" · ", visitors.Select(v => $"{VisitorLink(state, v.Visitor)} <span class=\"muted\">({v.Calls})</span>"));
        html.Append("</p></section>");
    }

    private static void RenderTimeline(StringBuilder html, ClerkEmulatorState state, string visitor)
    {
        var calls = state.GetCalls(visitor: visitor);
        html.Append("<section id=\"timeline\"><h2>Timeline of visitor <code>").Append(E(visitor)).Append("</code></h2>");
        if (calls.Count == 0)
        {
            html.Append("<p class=\"muted\">No call by this visitor.</p></section>");
            return;
        }

        html.Append("<table><tr><th>time</th><th>step</th><th>endpoint</th><th>labels</th><th>details</th></tr>");
        foreach (var call in calls)
        {
            html.Append(call.Succeeded ? "<tr>" : "<tr class=\"error\">")
                .Append("<td>").Append(call.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td><span class=\"step\">").Append(Step(call.Endpoint)).Append("</span></td>")
                .Append("<td><code>").Append(E(call.Endpoint)).Append("</code></td>")
                .Append("<td>").Append(E(string.Join(", ", call.Labels))).Append("</td>")
                .Append("<td><code>").Append(E(Details(call))).Append("</code></td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void RenderCalls(StringBuilder html, ClerkEmulatorState state)
    {
        var calls = state.GetCalls();
        html.Append("<section id=\"calls\"><h2>Calls (").Append(calls.Count).Append(", newest first)</h2>");
        if (calls.Count == 0)
        {
            html.Append("<p class=\"muted\">No call yet.</p></section>");
            return;
        }

        html.Append("<table><tr><th>#</th><th>time</th><th>call</th><th>visitor</th><th>labels</th><th>outcome</th><th>arguments</th></tr>");
        foreach (var call in calls.AsEnumerable().Reverse().Take(MaxCallsShown))
        {
            html.Append(call.Succeeded ? "<tr>" : "<tr class=\"error\">")
                .Append("<td>").Append(call.Sequence).Append("</td>")
                .Append("<td>").Append(call.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td class=\"nowrap\"><code>").Append(E(call.Method)).Append(' ').Append(E(call.Endpoint)).Append("</code></td>")
                .Append("<td>").Append(VisitorLink(state, call.Visitor)).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", call.Labels))).Append("</td>")
                .Append("<td>").Append(call.Succeeded ? "<span class=\"ok\">ok</span>" : $"<span class=\"bad\">{E(call.ErrorType ?? "error")}</span>: {E(call.ErrorMessage ?? string.Empty)}")
                .Append("</td><td><code>").Append(E(Truncate(Readable(EmailMask.MaskArguments(call.Arguments)), 300))).Append("</code></td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void RenderCatalog(StringBuilder html, ClerkEmulatorState state)
    {
        var products = state.GetProducts();
        html.Append("<section id=\"catalog\"><h2>Catalog (").Append(products.Count).Append(products.Count == 1 ? " product" : " products")
            .Append(", IDs: ").Append(IdTypeText(state.CatalogIdType)).Append(")</h2>");
        if (products.Count == 0)
        {
            html.Append("<p class=\"muted\">No product yet. Products come from the emulator's options, from <code>product/add</code>, or from an import of the shop's feeds (<code>POST _emulator/import</code>).</p></section>");
            return;
        }

        if (products.Count > MaxProductsShown)
        {
            html.Append("<p class=\"muted\">The first ").Append(MaxProductsShown).Append(", in catalog order.</p>");
        }

        html.Append("<table><tr><th>id</th><th>name</th><th>price</th><th>list price</th><th>stock</th><th>categories</th></tr>");
        foreach (var product in products.Take(MaxProductsShown))
        {
            html.Append("<tr><td><code>").Append(E(product.IsNumericId ? product.Id : $"\"{product.Id}\"")).Append("</code></td>")
                .Append("<td>").Append(E(product.Name)).Append("</td>")
                .Append("<td>").Append(product.Price.ToString(CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td>").Append(product.ListPrice?.ToString(CultureInfo.InvariantCulture) ?? string.Empty).Append("</td>")
                .Append("<td>").Append(product.Stock?.ToString(CultureInfo.InvariantCulture) ?? string.Empty).Append("</td>")
                .Append("<td>").Append(E(string.Join(", ", product.Categories))).Append("</td></tr>");
        }

        html.Append("</table></section>");
    }

    private static void RenderImport(StringBuilder html, ClerkEmulatorState state)
    {
        html.Append("<section id=\"import\"><h2>Last import</h2>");
        if (state.LastImport is not { } import)
        {
            html.Append("<p class=\"muted\">No import yet. <code>POST _emulator/import</code> with <code>{\"baseUrl\":\"http://shop/clerk\"}</code> pulls the shop's feeds page by page, as Clerk's importer does.</p></section>");
            return;
        }

        html.Append("<p><code>").Append(E(import.FeedBaseUrl.ToString())).Append("</code> · started ").Append(Time(import.StartedAt))
            .Append(import.FinishedAt is { } finished ? $" · finished {Time(finished)}" : " · running")
            .Append(" · ").Append(import.FinishedAt is null ? "<span class=\"muted\">running</span>"
                : import.Succeeded ? "<span class=\"ok\">replaced the catalog</span>" : "<span class=\"bad\">failed: the catalog is unchanged</span>")
            .Append(" · product IDs: ").Append(import.ProductIdType == ClerkEmulatorIdType.Mixed ? "<span class=\"bad\">mixed</span>" : IdTypeText(import.ProductIdType))
            .Append("</p>");
        html.Append("<table><tr><th>feed</th><th>pages</th><th>items</th><th>repeated IDs</th><th>outcome</th></tr>");
        foreach (var feed in import.Feeds)
        {
            html.Append(feed.Error is null ? "<tr>" : "<tr class=\"error\">")
                .Append("<td><code>").Append(E(feed.Name)).Append("</code></td>")
                .Append("<td>").Append(feed.Pages).Append("</td><td>").Append(feed.Items).Append("</td><td>").Append(feed.Duplicates).Append("</td><td>")
                .Append(feed.Error is { } error ? $"<span class=\"bad\">{E(error)}</span>" : feed.Missing ? "<span class=\"muted\">none (404)</span>" : "<span class=\"ok\">ok</span>")
                .Append("</td></tr>");
        }

        html.Append("</table>");
        foreach (var error in import.Errors.Where(e => !import.Feeds.Any(f => f.Error == e)))
        {
            html.Append("<p class=\"bad\">").Append(E(error)).Append("</p>");
        }

        html.Append("</section>");
    }

    private static void RenderSync(StringBuilder html, ClerkEmulatorState state)
    {
        var calls = state.GetCalls().Where(c => CatalogEndpoints.IsCatalogEndpoint(c.Endpoint)).Reverse().ToList();
        html.Append("<section id=\"sync\"><h2>Real-time sync (").Append(calls.Count).Append(", newest first)</h2>");
        if (calls.Count == 0)
        {
            html.Append("<p class=\"muted\">No sync call yet. A shop sends changed products to <code>product/add</code> and removed ones to <code>product/remove</code>.</p></section>");
            return;
        }

        html.Append("<table><tr><th>#</th><th>time</th><th>call</th><th>products</th><th>IDs</th><th>outcome</th></tr>");
        foreach (var call in calls.Take(MaxSyncCallsShown))
        {
            var ids = SyncedIds(call.Arguments);
            html.Append(call.Succeeded ? "<tr>" : "<tr class=\"error\">")
                .Append("<td>").Append(call.Sequence).Append("</td>")
                .Append("<td>").Append(Time(call.Time)).Append("</td>")
                .Append("<td class=\"nowrap\"><code>").Append(E(call.Method)).Append(' ').Append(E(call.Endpoint)).Append("</code></td>")
                .Append("<td>").Append(ids.Count).Append("</td>")
                .Append("<td><code>").Append(E(string.Join(", ", ids.Take(MaxIdsShown)) + (ids.Count > MaxIdsShown ? ", …" : string.Empty))).Append("</code></td>")
                .Append("<td>").Append(call.Succeeded ? "<span class=\"ok\">ok</span>" : $"<span class=\"bad\">{E(call.ErrorType ?? "error")}</span>: {E(call.ErrorMessage ?? string.Empty)}")
                .Append("</td></tr>");
        }

        html.Append("</table></section>");
    }

    /// <summary>The product IDs a sync call named: the <c>id</c> of each product object, or each ID of a removal.</summary>
    private static List<string> SyncedIds(JsonElement arguments)
    {
        if (!arguments.TryGetProperty("products", out var products) || products.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return products.EnumerateArray()
            .Select(p => p.ValueKind == JsonValueKind.Object ? (p.TryGetProperty("id", out var id) ? id : default) : p)
            .Select(id => id.ValueKind == JsonValueKind.String ? $"\"{id.GetString()}\"" : EmulatorJson.ScalarText(id))
            .OfType<string>()
            .ToList();
    }

    private static string IdTypeText(ClerkEmulatorIdType type) => type switch
    {
        ClerkEmulatorIdType.Number => "integers",
        ClerkEmulatorIdType.String => "strings",
        ClerkEmulatorIdType.Mixed => "mixed",
        _ => "none yet",
    };

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Step(string endpoint) => endpoint switch
    {
        "log/click" => "clicked",
        "log/sale" => "bought",
        "log/product" => "viewed",
        _ when endpoint.StartsWith("recommendations/", StringComparison.Ordinal) || endpoint.StartsWith("search/", StringComparison.Ordinal) => "shown",
        _ when endpoint.StartsWith("log/cart", StringComparison.Ordinal) => "cart",
        _ => "other",
    };

    private static string Details(ClerkEmulatorCall call)
    {
        var args = EmailMask.MaskArguments(call.Arguments);
        string? Get(string name) => args.TryGetProperty(name, out var value)
            ? value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? EmulatorJson.ScalarText(value) : value.GetRawText()
            : null;

        return call.Endpoint switch
        {
            "log/click" or "log/product" => $"product {Get("product")}",
            "log/sale" => $"sale {Get("sale")}: {Get("products")}",
            _ => Truncate(Readable(args), 200),
        };
    }

    /// <summary>JSON as a person reads it (no \u003C escapes); safe here because the result is HTML-encoded.</summary>
    private static string Readable(JsonElement json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A link to the visitor's timeline in the same store: a visitor ID means something in one store only.</summary>
    private static string VisitorLink(ClerkEmulatorState state, string? visitor) =>
        visitor is null
            ? "<span class=\"muted\">none</span>"
            : $"<a href=\"{StoreQuery(state)}&amp;visitor={UrlEncoder.Default.Encode(visitor)}\"><code>{E(visitor)}</code></a>";

    /// <summary>The query that looks at a store; URL-encoded, so it is safe in an attribute whatever the key holds.</summary>
    private static string StoreQuery(ClerkEmulatorState state) => $"?store={UrlEncoder.Default.Encode(state.PublicKey)}";

    private static string Truncate(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
