using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Clerk.AspNetCore.Diagnostics;
using Clerk.AspNetCore.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// <c>GET</c> or <c>POST</c> <c>{PathPrefix}/product|category|order|customer</c>: one page of a feed for Clerk's
/// importer. In this order, each step cheaper than the next: Clerk turned off (404); the per-client limits (429);
/// the arguments read, the body bounded (413, or 400 for a form that cannot be read); authentication (403, Clerk's
/// body, nothing else); the arguments checked (400, saying what is wrong and what is accepted); then the page,
/// streamed: <c>[</c>, each item as the source yields it, <c>]</c>, flushed every <see cref="FlushBytes"/>, so
/// neither the page nor the catalog is ever held in memory.
/// </summary>
/// <remarks>
/// The first item is fetched and written before the answer starts, so a source that fails at once (its database is
/// down, an item it cannot write) is answered 500 with Clerk's error shape. A failure after that aborts the response:
/// the importer sees a broken page instead of a short one it would take for the end of the feed.
/// </remarks>
internal sealed class FeedEndpoint
{
    /// <summary>How many bytes are written before they are flushed to the importer.</summary>
    public const int FlushBytes = 64 * 1024;

    private readonly ClerkOptions _options;
    private readonly FeedAuthenticator _authenticator;
    private readonly FeedRateLimiter _limiter;
    private readonly FeedMetrics _metrics;
    private readonly ProductIdTypes _idTypes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _development;
    private readonly Uri? _baseUrl;
    private readonly FeedBaseAddress _baseAddress;

    public FeedEndpoint(
        IOptions<ClerkOptions> options,
        FeedAuthenticator authenticator,
        FeedRateLimiter limiter,
        FeedMetrics metrics,
        ProductIdTypes idTypes,
        FeedBaseAddress baseAddress,
        TimeProvider time,
        IHostEnvironment environment,
        ILogger<FeedEndpoint> logger)
    {
        _baseAddress = baseAddress;
        _options = options.Value;
        _authenticator = authenticator;
        _limiter = limiter;
        _metrics = metrics;
        _idTypes = idTypes;
        _time = time;
        _logger = logger;
        _development = environment.IsDevelopment();
        _baseUrl = _options.Feeds.BaseUrl is { } configured ? FeedBaseAddress.WithTrailingSlash(configured) : null;
    }

    public async Task HandleAsync(HttpContext context, FeedKind kind)
    {
        if (!_options.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!await _limiter.TryAdmitAsync(context, kind.Name).ConfigureAwait(false))
        {
            return;
        }

        var (arguments, status, problem) = await FeedArguments.ReadAsync(context).ConfigureAwait(false);
        if (arguments is null)
        {
            await RejectAsync(context, kind, status, problem!, "invalid_body").ConfigureAwait(false);
            return;
        }

        var authentication = await _authenticator.AuthenticateAsync(context, arguments).ConfigureAwait(false);
        if (!authentication.Succeeded || authentication.Store is not { } store)
        {
            _limiter.AuthenticationFailed(context);
            _metrics.AuthenticationFailed(kind.Name, authentication.Tag, authentication.Store?.Name);
            _logger.FeedAuthenticationFailed(kind.Name, ClientOf(context), authentication.Reason, authentication.Exception);
            await FeedResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, authentication.Message).ConfigureAwait(false);
            return;
        }

        if (FeedQuery.Check(arguments, _options.Feeds, kind.TakesDates, out var query) is { } invalid)
        {
            await RejectAsync(context, kind, StatusCodes.Status400BadRequest, invalid, "invalid_arguments").ConfigureAwait(false);
            return;
        }

        // The request is the authenticated store's, whatever its host or path would choose: a source (or anything it
        // calls) that asks HttpContext.GetClerkStore() gets the store whose catalog is being read.
        context.Features[typeof(ClerkStoreFeature)] = new ClerkStoreFeature(store);
        await kind.ServeAsync(this, context, query, store).ConfigureAwait(false);
    }

    internal async Task ServeAsync<TItem>(HttpContext context, FeedKind<TItem> kind, FeedQuery query, ClerkStore store)
        where TItem : class
    {
        var cancellationToken = context.RequestAborted;
        var source = (IClerkFeedSource<TItem>)context.RequestServices.GetRequiredService(kind.SourceType);
        var sourceName = source.GetType().Name;
        var request = new ClerkFeedRequest
        {
            Store = store.PublicKey,
            StoreName = store.Name,
            Language = store.Language,
            Page = query.Page,
            Limit = query.Limit,
            StartDate = query.StartDate,
            EndDate = query.EndDate,
        };
        var writeContext = new FeedWriteContext(_baseUrl ?? RequestBase(context.Request), _options.CollectEmails);
        _baseAddress.Remember(writeContext.BaseUrl, store.Name);
        var writerOptions = new JsonWriterOptions { Indented = query.Indented };
        var ids = new FeedPageIds(_idTypes);
        using var activity = ClerkDiagnostics.ActivitySource.StartActivity("clerk.feed", ActivityKind.Internal);
        activity?.SetTag("clerk.feed", kind.Name);
        activity?.SetTag("clerk.store", store.Name);
        activity?.SetTag("clerk.feed.page", query.Page);
        activity?.SetTag("clerk.feed.limit", query.Limit);
        var started = _time.GetTimestamp();

        var written = 0;
        var outputStarted = false;
        var mixReported = false;
        var gone = false;
        ClerkProductId firstProduct = default;
        IAsyncEnumerator<TItem>? items = null;
        try
        {
            items = source.GetPageAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);

            // The first item, before the answer starts: a source that fails at once gets a clean 500.
            ArrayBufferWriter<byte>? first = null;
            if (await items.MoveNextAsync().ConfigureAwait(false))
            {
                var item = items.Current;
                first = new ArrayBufferWriter<byte>(1024);
                using (var itemWriter = new Utf8JsonWriter(first, writerOptions))
                {
                    kind.Write(itemWriter, item, writeContext);
                }

                Inspect(kind, item, ids, query.Page, ref mixReported);
                if (kind.ProductId is { } productId)
                {
                    firstProduct = productId(item);
                }
            }

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            FeedResponses.SetHeaders(response);
            outputStarted = true;

            var pipe = response.BodyWriter;
            await using var writer = new Utf8JsonWriter(pipe, writerOptions);
            writer.WriteStartArray();
            if (first is not null)
            {
                writer.WriteRawValue(first.WrittenSpan, skipInputValidation: true);
                written = 1;
                long flushedAt = 0;
                while (written < query.Limit && await items.MoveNextAsync().ConfigureAwait(false))
                {
                    var item = items.Current;
                    Inspect(kind, item, ids, query.Page, ref mixReported);
                    kind.Write(writer, item, writeContext);
                    written++;
                    if (writer.BytesCommitted + writer.BytesPending - flushedAt >= FlushBytes)
                    {
                        writer.Flush();
                        flushedAt = writer.BytesCommitted;
                        if ((await pipe.FlushAsync(cancellationToken).ConfigureAwait(false)).IsCompleted)
                        {
                            // The importer stopped reading (it went away): no one is left to write to.
                            gone = true;
                            throw new OperationCanceledException(cancellationToken);
                        }
                    }
                }

                // A source that returns more than asked is a bug that would serve items twice (the next page starts
                // after the limit); the extra items are not written, and Development says so (asking costs an item).
                if (_development && written == query.Limit && await items.MoveNextAsync().ConfigureAwait(false))
                {
                    _logger.FeedItemsBeyondLimit(kind.Name, sourceName, query.Limit, query.Page);
                }
            }

            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || gone)
        {
            // The importer went away: there is no one to answer.
            _metrics.ItemsWritten(kind.Name, written, store.Name);
            _metrics.Page(kind.Name, "cancelled", store.Name);
            activity?.SetTag("clerk.feed.outcome", "cancelled");
            return;
        }
        catch (Exception exception)
        {
            await FailAsync(context, kind.Name, query.Page, store.Name, sourceName, written, outputStarted, exception, activity).ConfigureAwait(false);
            return;
        }
        finally
        {
            if (items is not null)
            {
                await DisposeAsync(items, kind.Name, query.Page, store.Name, written, sourceName).ConfigureAwait(false);
            }
        }

        if (written > 0 && kind.ProductId is not null)
        {
            _idTypes.FeedServed(firstProduct);
        }

        _metrics.ItemsWritten(kind.Name, written, store.Name);
        _metrics.Page(kind.Name, "served", store.Name);
        activity?.SetTag("clerk.feed.items", written);
        activity?.SetTag("clerk.feed.outcome", "served");
        _logger.FeedPageServed(kind.Name, query.Page, store.Name, written, query.Limit, (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Checks an item's IDs against the page's. A page that mixes types is logged once (event 76); in Development it
    /// fails, so the developer sees it before Clerk's importer silently splits the catalog.
    /// </summary>
    private void Inspect<TItem>(FeedKind<TItem> kind, TItem item, FeedPageIds ids, int page, ref bool reported)
        where TItem : class
    {
        if (kind.Inspect(item, ids) is not { } mix || reported)
        {
            return;
        }

        reported = true;
        _logger.FeedMixedIdTypes(kind.Name, page, mix);
        if (_development)
        {
            throw new InvalidOperationException($"Page {page} of the Clerk {kind.Name} feed mixes ID types: {mix}");
        }
    }

    private async Task FailAsync(HttpContext context, string feed, int page, string store, string source, int written, bool outputStarted, Exception exception, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag("clerk.feed.items", written);
        _metrics.ItemsWritten(feed, written, store);
        if (!outputStarted && !context.Response.HasStarted)
        {
            _logger.FeedSourceFailed(feed, page, store, source, exception);
            _metrics.Page(feed, "failed", store);
            activity?.SetTag("clerk.feed.outcome", "failed");

            // The exception's message may name a server, a table or a customer: only the developer sees it.
            var message = _development
                ? $"The {feed} feed failed on page {page} ({source}): {exception.GetType().Name}: {exception.Message}"
                : "The feed failed to read this page; the shop's log has the details (event 73).";
            await FeedResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, message).ConfigureAwait(false);
            return;
        }

        _logger.FeedAborted(feed, page, store, written, source, Aborted, exception);
        _metrics.Page(feed, "aborted", store);
        activity?.SetTag("clerk.feed.outcome", "aborted");
        context.Abort();
    }

    private async ValueTask DisposeAsync<TItem>(IAsyncEnumerator<TItem> items, string feed, int page, string store, int written, string source)
    {
        try
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The page is answered already (or failed for its own reason); a source that fails to clean up is logged.
            _logger.FeedAborted(feed, page, store, written, source,
                "its enumerator failed to clean up (DisposeAsync) after the page was answered; the answer stands.", exception);
        }
    }

    private const string Aborted =
        "the response was aborted, so the importer sees a broken page rather than a short one it would take for the end of the feed.";

    private async Task RejectAsync(HttpContext context, FeedKind kind, int status, string problem, string tag)
    {
        _metrics.Rejected(kind.Name, tag);
        _logger.FeedRequestRejected(kind.Name, status, problem);
        await FeedResponses.WriteErrorAsync(context, status, problem).ConfigureAwait(false);
    }

    /// <summary>The shop as the importer reached it: scheme, host and path base, against which relative URLs resolve.</summary>
    private static Uri? RequestBase(HttpRequest request) =>
        request.Host.HasValue
        && Uri.TryCreate($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}/", UriKind.Absolute, out var uri)
            ? uri
            : null;

    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
}
