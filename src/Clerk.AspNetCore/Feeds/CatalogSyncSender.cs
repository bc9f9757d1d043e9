using System.Buffers;
using System.Text.Json;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// Sends the catalog changes of one lease together (<see cref="IOutboxBatchSender"/>), store by store (a message's
/// <see cref="ClerkOutboxMessage.Store"/> is the public key of the store it was queued for): coalesced by product (the
/// latest change of a product wins, so a change after a removal adds it again and a removal after a change removes
/// it), the changed products read from
/// <see cref="IClerkProductSource.FindAsync(ClerkFeedRequest, IReadOnlyCollection{ClerkProductId}, CancellationToken)"/>
/// with that store's request, in a fresh scope, as they are now, and sent to that store's <c>product/add</c> at most
/// <see cref="ClerkFeedOptions.SyncBatchSize"/> at a time, written exactly as the product feed writes them; removed
/// products, and changed ones the source no longer returns, go to <c>product/remove</c>. Each call carries the keys of
/// the message's store; the private key is added here, when sending: the outbox never holds it.
/// </summary>
/// <remarks>
/// All calls of a batch share one outcome (the worker retries or fails all its messages): calling
/// <c>product/add</c> or <c>product/remove</c> again for products Clerk already has is harmless, so a retry after a
/// partial success sends some products twice and loses none. A message of a store that is no longer configured is
/// returned as a problem (marked failed, re-drivable): its catalog can be sent only with that store's keys.
/// </remarks>
internal sealed class CatalogSyncSender(
    IServiceScopeFactory scopeFactory,
    IHttpClientFactory httpClients,
    ClerkCalls calls,
    ClerkStoreSet stores,
    ClerkMetrics metrics,
    FeedBaseAddress feedBaseAddress,
    TimeProvider time,
    ILogger<CatalogSyncSender> logger) : IOutboxBatchSender
{
    private int _warnedNoBaseUrl;

    public string Kind => ClerkCatalogSync.Kind;

    private static bool AnyToAdd(Dictionary<ClerkProductId, bool> removedById) => removedById.ContainsValue(false);

    public async Task<IReadOnlyList<OutboxBatchProblem>> SendAsync(IReadOnlyList<ClerkOutboxMessage> messages, CancellationToken cancellationToken)
    {
        var problems = new List<OutboxBatchProblem>();

        // The worker hands over the messages of one store; grouped all the same, so that no store's products are ever
        // sent with another store's keys, whoever calls.
        foreach (var group in messages.GroupBy(m => m.Store, StringComparer.Ordinal))
        {
            if (stores.FindByPublicKey(group.Key) is not { } store)
            {
                foreach (var message in group)
                {
                    problems.Add(new OutboxBatchProblem(message,
                        $"the catalog change was queued for a Clerk store that is no longer configured (no store in Clerk:Stores has its public key); a store's catalog is sent only with its own keys. Re-drive it once the store is configured again."));
                }

                continue;
            }

            await SendStoreAsync(store, [.. group], problems, cancellationToken).ConfigureAwait(false);
        }

        return problems;
    }

    private async Task SendStoreAsync(ClerkStore store, IReadOnlyList<ClerkOutboxMessage> messages, List<OutboxBatchProblem> problems, CancellationToken cancellationToken)
    {
        var changes = new List<(ClerkOutboxMessage Message, CatalogChange Change)>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Endpoint is not (ClerkEndpoints.ProductAdd or ClerkEndpoints.ProductRemove))
            {
                problems.Add(new OutboxBatchProblem(message, $"a catalog change for the endpoint '{message.Endpoint}', which is neither {ClerkEndpoints.ProductAdd} nor {ClerkEndpoints.ProductRemove}."));
            }
            else if (CatalogChange.Read(message.Body, out var problem) is { } change)
            {
                changes.Add((message, change));
            }
            else
            {
                problems.Add(new OutboxBatchProblem(message, problem!));
            }
        }

        // The latest change of each product wins.
        var removedById = new Dictionary<ClerkProductId, bool>();
        foreach (var (message, change) in changes.OrderBy(c => c.Message.CreatedAt).ThenBy(c => c.Change.Sequence))
        {
            var removed = message.Endpoint == ClerkEndpoints.ProductRemove;
            foreach (var id in change.Products)
            {
                if (id.HasValue)
                {
                    removedById[id] = removed;
                }
            }
        }

        var options = calls.Options;
        var batchSize = Math.Max(1, options.Feeds.SyncBatchSize);
        // The configured base, else the one the last authenticated feed request of this store saw (Clerk's importer
        // reaching the shop; with one store, any feed request's); never the Host of whatever request made the change,
        // which its client chooses, nor another store's domain.
        var baseUrl = options.Feeds.BaseUrl is { } configured ? FeedBaseAddress.WithTrailingSlash(configured)
            : feedBaseAddress.For(store.Name) ?? (stores.IsSingle ? feedBaseAddress.Last : null);
        if (baseUrl is null && AnyToAdd(removedById) && Interlocked.Exchange(ref _warnedNoBaseUrl, 1) == 0)
        {
            logger.CatalogSyncNoBaseUrl();
        }

        var context = new FeedWriteContext(baseUrl, options.CollectEmails);
        var client = ClerkClient.Create(httpClients, calls.ForStore(store), time);
        var toRemove = removedById.Where(c => c.Value).Select(c => c.Key).ToList();
        var toAdd = removedById.Where(c => !c.Value).Select(c => c.Key).ToList();
        var added = 0;
        var callCount = 0;

        if (toAdd.Count > 0)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var source = scope.ServiceProvider.GetService<IClerkProductSource>()
                ?? throw new OutboxBatchRejectedException(
                    "no product source is registered (services.AddClerkFeeds().AddProducts(...)), so the changed products cannot be read; re-drive the failed messages once one is.");
            var request = ClerkFeedRequest.ForSync(store, batchSize);
            foreach (var chunk in toAdd.Chunk(batchSize))
            {
                var (body, written, found) = await AddBodyAsync(source, request, chunk, context, store, cancellationToken).ConfigureAwait(false);
                if (written > 0)
                {
                    using var answer = await client.SendAsync(new ClerkCall(ClerkEndpoints.ProductAdd, body), cancellationToken).ConfigureAwait(false);
                    callCount++;
                    added += written;
                }

                toRemove.AddRange(chunk.Where(id => !found.Contains(id)));
            }
        }

        foreach (var chunk in toRemove.Chunk(batchSize))
        {
            using var answer = await client.SendAsync(new ClerkCall(ClerkEndpoints.ProductRemove, RemoveBody(chunk, store)), cancellationToken).ConfigureAwait(false);
            callCount++;
        }

        logger.CatalogSyncSent(store.Name, added, toRemove.Count, callCount, messages.Count);
    }

    /// <summary>
    /// <c>product/add</c>'s body for the products of <paramref name="ids"/> the source returns now: the body, how many
    /// products it holds, and the IDs the source returned (a product that cannot be written is left out, but counts as
    /// found: it exists, and must not be removed).
    /// </summary>
    private async Task<(byte[] Body, int Written, HashSet<ClerkProductId> Found)> AddBodyAsync(
        IClerkProductSource source, ClerkFeedRequest request, ClerkProductId[] ids, FeedWriteContext context, ClerkStore store, CancellationToken cancellationToken)
    {
        var asked = ids.ToHashSet();
        var found = new HashSet<ClerkProductId>();
        var body = new ArrayBufferWriter<byte>(1024);
        var item = new ArrayBufferWriter<byte>(512);
        var written = 0;
        await using var writer = new Utf8JsonWriter(body);
        await using var itemWriter = new Utf8JsonWriter(item);
        StartBody(writer, store);
        await foreach (var product in source.FindAsync(request, ids, cancellationToken).ConfigureAwait(false))
        {
            if (product is null)
            {
                continue;
            }

            if (!asked.Contains(product.Id))
            {
                // The same product under the other JSON type (1 for "1") is a type slip between the source and the
                // caller: reported, not sent, and never taken for a deletion of the product asked for.
                var text = product.Id.ToString();
                foreach (var id in asked)
                {
                    if (id.ToString() == text)
                    {
                        found.Add(id);
                    }
                }

                logger.CatalogProductUnexpected(text);
                continue;
            }

            if (!found.Add(product.Id))
            {
                continue;
            }

            // Each product on a writer of its own first: one that cannot be written must not break the others.
            item.ResetWrittenCount();
            itemWriter.Reset(item);
            try
            {
                FeedItemWriter.WriteProduct(itemWriter, product, context);
                itemWriter.Flush();
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                logger.CatalogProductInvalid(product.Id.ToString(), exception.Message);
                metrics.DeliveryFailed(ClerkCatalogSync.Kind, "Invalid");
                continue;
            }

            writer.WriteRawValue(item.WrittenSpan, skipInputValidation: true);
            written++;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (body.WrittenSpan.ToArray(), written, found);
    }

    private static byte[] RemoveBody(ClerkProductId[] ids, ClerkStore store)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            StartBody(writer, store);
            foreach (var id in ids)
            {
                if (id.IsNumber)
                {
                    writer.WriteNumberValue(id.Number);
                }
                else
                {
                    writer.WriteStringValue(id.ToString());
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return body.WrittenSpan.ToArray();
    }

    /// <summary>The store's keys and the start of <c>products</c>. Without a private key the call goes without it, and Clerk refuses it.</summary>
    private static void StartBody(Utf8JsonWriter writer, ClerkStore store)
    {
        writer.WriteStartObject();
        writer.WriteString("key", store.PublicKey);
        if (store.PrivateKey is { Length: > 0 } privateKey)
        {
            writer.WriteString("private_key", privateKey);
        }

        writer.WritePropertyName("products");
        writer.WriteStartArray();
    }
}
