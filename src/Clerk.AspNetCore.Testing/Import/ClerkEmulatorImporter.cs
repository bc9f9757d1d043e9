using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Pulls a shop's data feeds page by page, as Clerk's importer does, and replaces one store's catalog with them:
/// <c>GET {base}/product?key=…&amp;private_key=…&amp;page=1&amp;limit=100</c>, page 2, … until a page shorter than the
/// limit; then the same for <c>category</c> and <c>order</c>. A 404 for the category or order feed is recorded, not an
/// error; a refused key (401/403), another error status, a page that is not a JSON list, an invalid item, a page over
/// <see cref="ClerkEmulatorOptions.MaxImportPageBytes"/>, a feed longer than
/// <see cref="ClerkEmulatorOptions.MaxImportPages"/> or product IDs of mixed JSON types fail the import, and the
/// emulator keeps what it had. The import lands in the store of <see cref="ClerkEmulatorImportRequest.Store"/> (by
/// default the store whose public key the feeds are pulled with, else the default store); <see cref="ImportStoreAsync"/>
/// pulls a store's feeds with that store's own keys. Over HTTP: <c>POST {emulator}/_emulator/import?store={publicKey}</c>.
/// Pulls with the <see cref="HttpClient"/> named <see cref="ClerkEmulatorOptions.ImporterHttpClientName"/>; one import
/// at a time.
/// </summary>
public sealed class ClerkEmulatorImporter
{
    private readonly IHttpClientFactory _clients;
    private readonly ClerkEmulatorStores _stores;
    private readonly ClerkEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    internal ClerkEmulatorImporter(IHttpClientFactory clients, ClerkEmulatorStores stores, IOptions<ClerkEmulatorOptions> options, TimeProvider time)
    {
        _clients = clients;
        _stores = stores;
        _options = options.Value;
        _time = time;
    }

    /// <summary>
    /// Imports every feed (product, category, order) of a shop, 100 items a page, into the store whose public key is
    /// <paramref name="publicKey"/>, or into the default store when no store has it.
    /// </summary>
    /// <param name="feedBaseUrl">The feeds' base address, such as <c>http://shop/clerk</c>.</param>
    /// <param name="publicKey">The public key the feeds take, such as <see cref="ClerkEmulatorOptions.DemoPublicKey"/>.</param>
    /// <param name="privateKey">The private key the feeds take, such as <see cref="ClerkEmulatorOptions.DemoPrivateKey"/>.</param>
    /// <param name="cancellationToken">Cancels the import; the emulator keeps what it had.</param>
    /// <returns>The import, also in <see cref="ClerkEmulatorState.LastImport"/>; see <see cref="ClerkEmulatorImport.Succeeded"/>.</returns>
    /// <exception cref="ArgumentException">The base address is not an absolute http(s) address.</exception>
    public Task<ClerkEmulatorImport> ImportAsync(Uri feedBaseUrl, string publicKey, string privateKey, CancellationToken cancellationToken = default) =>
        ImportAsync(new ClerkEmulatorImportRequest(feedBaseUrl, publicKey, privateKey), cancellationToken);

    /// <summary>
    /// Imports every feed of one store, 100 items a page, into that store: the feeds are pulled with the store's own
    /// keys (<c>key</c> and <c>private_key</c>), as Clerk pulls each store's feeds with that store's keys.
    /// </summary>
    /// <param name="store">The store's public key, such as <see cref="ClerkEmulatorOptions.DemoPublicKeyEn"/>.</param>
    /// <param name="feedBaseUrl">The store's feeds' base address, such as <c>http://shop/en/clerk</c>.</param>
    /// <param name="cancellationToken">Cancels the import; the store keeps what it had.</param>
    /// <returns>The import, also in the store's <see cref="ClerkEmulatorState.LastImport"/>; see <see cref="ClerkEmulatorImport.Succeeded"/>.</returns>
    /// <exception cref="ArgumentException">No store has this public key, or the base address is not an absolute http(s) address.</exception>
    public Task<ClerkEmulatorImport> ImportStoreAsync(string store, Uri feedBaseUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var state = _stores.Get(store);
        return ImportAsync(new ClerkEmulatorImportRequest(feedBaseUrl, state.PublicKey, state.PrivateKey) { Store = state.PublicKey }, cancellationToken);
    }

    /// <summary>Imports the feeds of a shop that <paramref name="request"/> names.</summary>
    /// <param name="request">The feeds' base address, the keys, the page size and the feeds.</param>
    /// <param name="cancellationToken">Cancels the import; the emulator keeps what it had.</param>
    /// <returns>The import, also in <see cref="ClerkEmulatorState.LastImport"/>; see <see cref="ClerkEmulatorImport.Succeeded"/>.</returns>
    /// <exception cref="ArgumentException">The request is invalid, or names a store the emulator does not have: the message says how to fix it.</exception>
    public async Task<ClerkEmulatorImport> ImportAsync(ClerkEmulatorImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Problem() ?? StoreProblem(request)) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var state = DestinationOf(request);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(request, state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// The store an import lands in: the one it names, else the one whose public key the feeds are pulled with (a
    /// store's feeds are its own), else the default store, as before the emulator had several.
    /// </summary>
    internal ClerkEmulatorState DestinationOf(ClerkEmulatorImportRequest request) =>
        request.Store is { } store ? _stores.Get(store) : _stores.Find(request.PublicKey) ?? _stores.Default;

    /// <summary>What is wrong with the request's store, or <see langword="null"/>.</summary>
    internal string? StoreProblem(ClerkEmulatorImportRequest request) =>
        request.Store is { } store && _stores.Find(store) is null
            ? $"store names no store of the emulator: it is the public key of one of {string.Join(", ", _stores.Select(s => $"'{s.PublicKey}'"))}."
            : null;

    private async Task<ClerkEmulatorImport> RunAsync(ClerkEmulatorImportRequest request, ClerkEmulatorState state, CancellationToken cancellationToken)
    {
        var baseUrl = new Uri(request.FeedBaseUrl.ToString().TrimEnd('/') + "/");
        var import = new ClerkEmulatorImport(request.FeedBaseUrl, _time.GetUtcNow(), null, false, ClerkEmulatorIdType.None, [], []) { Store = state.PublicKey };
        state.SetLastImport(import);

        var feeds = new List<ClerkEmulatorImportFeed>();
        var errors = new List<string>();
        var products = new ItemsById<ClerkEmulatorProduct>(p => p.Id);
        var categories = new ItemsById<ClerkEmulatorCategory>(c => c.Id);
        var orders = new ItemsById<ClerkEmulatorOrder>(o => o.Id);
        var http = _clients.CreateClient(ClerkEmulatorOptions.ImporterHttpClientName);
        try
        {
            // The order of AllFeeds, whatever the request's: products first, as Clerk imports them.
            foreach (var feed in ClerkEmulatorImportRequest.AllFeeds.Where(request.Feeds.Contains))
            {
                var outcome = feed switch
                {
                    "product" => await PullAsync(http, baseUrl, request, feed, products, CatalogJson.ReadProduct, cancellationToken).ConfigureAwait(false),
                    "category" => await PullAsync(http, baseUrl, request, feed, categories, CatalogJson.ReadCategory, cancellationToken).ConfigureAwait(false),
                    _ => await PullAsync(http, baseUrl, request, feed, orders, CatalogJson.ReadOrder, cancellationToken).ConfigureAwait(false),
                };
                feeds.Add(outcome);
                if (outcome.Error is { } error)
                {
                    errors.Add(error);
                    break; // the import has failed: pulling the other feeds would change nothing
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.Add("The import was cancelled.");
            state.SetLastImport(import with { FinishedAt = _time.GetUtcNow(), Feeds = feeds, Errors = errors });
            throw;
        }

        var idType = EmulatorCatalog.IdType(products.Items);
        if (idType == ClerkEmulatorIdType.Mixed)
        {
            var number = products.Items.First(p => p.IsNumericId).Id;
            var text = products.Items.First(p => !p.IsNumericId).Id;
            errors.Add($"product feed: the product IDs mix integers (such as {number}) and strings (such as \"{text}\"); Clerk tells 1 from \"1\", "
                + "so clicks and sales with one type never match the products of the other. Give every product ID one JSON type.");
        }

        var succeeded = errors.Count == 0;
        if (succeeded)
        {
            state.ApplyImport(
                request.Feeds.Contains("product") ? products.Items : null,
                request.Feeds.Contains("category") ? categories.Items : null,
                request.Feeds.Contains("order") ? orders.Items : null);
        }

        import = import with { FinishedAt = _time.GetUtcNow(), Succeeded = succeeded, ProductIdType = idType, Feeds = feeds, Errors = errors };
        state.SetLastImport(import);
        return import;
    }

    /// <summary>Pulls one feed page by page into <paramref name="items"/>.</summary>
    private async Task<ClerkEmulatorImportFeed> PullAsync<T>(
        HttpClient http,
        Uri baseUrl,
        ClerkEmulatorImportRequest request,
        string feed,
        ItemsById<T> items,
        ReadItem<T> read,
        CancellationToken cancellationToken)
        where T : class
    {
        var pages = 0;
        for (var page = 1; ; page++)
        {
            string Failed(string what) => $"{feed} feed, page {page}: {what}";
            ClerkEmulatorImportFeed Result(string? error = null, bool missing = false) =>
                new(feed, pages, items.Items.Count, items.Duplicates, missing, error);

            if (page > _options.MaxImportPages)
            {
                return Result(Failed($"the feed had not ended after {_options.MaxImportPages} pages (MaxImportPages); "
                    + "a feed ends with a page shorter than the limit, or an empty one ([])."));
            }

            // The keys travel in the query, as Clerk's importer sends them; the errors name the page without them.
            var url = new Uri(baseUrl, $"{feed}?key={Uri.EscapeDataString(request.PublicKey)}&private_key={Uri.EscapeDataString(request.PrivateKey)}"
                + $"&page={page}&limit={request.Limit}");
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception)
            {
                return Result(Failed($"the shop could not be reached at {baseUrl}{feed}: {exception.Message}"));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Result(Failed($"the shop did not answer in time ({http.Timeout.TotalSeconds:0} s)."));
            }

            using (response)
            {
                pages++;
                byte[] body;
                bool tooLarge;
                try
                {
                    (body, tooLarge) = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException
                    || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The shop aborted the page mid-way (a feed whose source failed after its first items does), or
                    // the connection broke: the page is broken, not short.
                    return Result(Failed($"the page broke off before its end ({exception.GetType().Name}: {exception.Message}); the shop's log says why."));
                }

                if (response.StatusCode == HttpStatusCode.NotFound && feed != "product" && page == 1)
                {
                    return Result(missing: true);
                }

                if (!response.IsSuccessStatusCode)
                {
                    var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                    var said = ErrorMessage(body) is { } text ? $": \"{text}\"" : string.Empty;
                    return Result(Failed(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                        ? $"{status}{said}. The shop refused the keys: the import sends key and private_key, the emulator's own unless others are given."
                        : $"{status}{said}."));
                }

                if (tooLarge)
                {
                    return Result(Failed($"the page is larger than {_options.MaxImportPageBytes} bytes (MaxImportPageBytes); ask for fewer items a page (limit)."));
                }

                int count;
                try
                {
                    using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
                    if (document.RootElement.ValueKind != JsonValueKind.Array)
                    {
                        return Result(Failed("the page is not a JSON list of items."));
                    }

                    count = document.RootElement.GetArrayLength();
                    var index = 0;
                    foreach (var element in document.RootElement.EnumerateArray())
                    {
                        index++;
                        if (read(element, out var problem) is not { } item)
                        {
                            return Result(Failed($"item {index}: {problem}."));
                        }

                        items.Add(item);
                    }
                }
                catch (JsonException exception)
                {
                    return Result(Failed($"the page is not valid JSON: {exception.Message}"));
                }

                if (count < request.Limit)
                {
                    return Result();
                }
            }
        }
    }

    /// <summary>The body, up to <see cref="ClerkEmulatorOptions.MaxImportPageBytes"/>; past that, what was read and true.</summary>
    private async Task<(byte[] Body, bool TooLarge)> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxImportPageBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            return ([], true);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return ([], true);
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), false);
        }
    }

    /// <summary>The message of a feed's error body, <c>{"error":{"code":403,"message":"…"}}</c>, when it is one.</summary>
    private static string? ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                    ? message.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private delegate T? ReadItem<T>(JsonElement element, out string? problem);

    /// <summary>Items in the order first seen; an ID seen again replaces the earlier copy in place.</summary>
    private sealed class ItemsById<T>(Func<T, string> id)
    {
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
        private readonly List<T> _items = [];

        public IReadOnlyList<T> Items => _items;

        public int Duplicates { get; private set; }

        public void Add(T item)
        {
            if (_positions.TryGetValue(id(item), out var at))
            {
                _items[at] = item;
                Duplicates++;
                return;
            }

            _positions[id(item)] = _items.Count;
            _items.Add(item);
        }
    }
}
