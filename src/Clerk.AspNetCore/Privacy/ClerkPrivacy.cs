using System.Text.Json;
using Clerk.AspNetCore.Api;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Privacy;

/// <summary>
/// <see cref="IClerkPrivacy"/>: the outbox, then every configured store side by side, each through a client fixed to
/// that store's keys (<see cref="ClerkCalls.ForStore"/>), whatever request it runs in.
/// </summary>
internal sealed class ClerkPrivacy(
    ClerkStoreSet stores,
    ClerkCalls calls,
    IHttpClientFactory httpClients,
    IClerkOutbox outbox,
    TimeProvider time,
    ILogger<ClerkPrivacy> logger) : IClerkPrivacy
{
    public async Task<ClerkErasureResult> ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);

        // The outbox first, Clerk second. In the other order a pending sale of the person, sent by the worker between
        // the two steps, would give Clerk their e-mail right after privacy/forget, and nothing would forget it again.
        // Once the outbox is redacted no sender can lease the old body; a message already being sent is reported
        // (InFlight) so that the caller asks Clerk to forget again after the lease.
        ClerkOutboxErasure? local = null;
        string? localError = null;
        try
        {
            local = await outbox.ForgetAsync(subject, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Clerk is still asked: forgetting there now is better than not at all, and the result says to call again.
            localError = $"The outbox could not erase the person's messages: {exception.Message}";
            logger.PrivacyOutboxFailed("erase", exception.GetType().FullName ?? exception.GetType().Name);
        }

        var answers = await AskEveryStoreAsync(ClerkEndpoints.PrivacyForget, subject, async (client, ct) =>
        {
            await client.ForgetAsync(subject, ct).ConfigureAwait(false);
            return null;
        }, cancellationToken).ConfigureAwait(false);

        var result = new ClerkErasureResult(subject.Kind, answers, local, localError);
        if (local is { InFlight: > 0 })
        {
            logger.PrivacyMessagesInFlight(local.InFlight);
        }

        logger.PersonForgotten(subject.Kind, Outcomes(answers), local?.Deleted ?? 0, local?.Redacted ?? 0, local?.InFlight ?? 0, result.Succeeded);
        return result;
    }

    public async Task<ClerkPrivacyExport> ExportAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);

        List<ClerkPrivacyMessage>? messages = null;
        string? localError = null;
        try
        {
            var found = await outbox.FindAsync(subject, cancellationToken).ConfigureAwait(false);
            messages = [.. found.Select(ToExport)];
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            localError = $"The outbox could not be searched for the person's messages: {exception.Message}";
            logger.PrivacyOutboxFailed("find", exception.GetType().FullName ?? exception.GetType().Name);
        }

        var answers = await AskEveryStoreAsync(ClerkEndpoints.PrivacyInfo, subject,
            async (client, ct) => await client.GetPrivacyInfoAsync(subject, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

        var result = new ClerkPrivacyExport(subject.Kind, answers, messages, localError);
        logger.PersonExported(subject.Kind, Outcomes(answers), messages?.Count ?? 0, result.Succeeded);
        return result;
    }

    /// <summary>Every store at once; one store's failure is its result, never an exception that stops the others.</summary>
    private async Task<IReadOnlyList<ClerkStorePrivacyResult>> AskEveryStoreAsync(
        string endpoint,
        ClerkPrivacySubject subject,
        Func<ClerkClient, CancellationToken, Task<JsonElement?>> call,
        CancellationToken cancellationToken)
    {
        var tasks = stores.All.Select(store => AskAsync(endpoint, store, call, cancellationToken)).ToArray();
        var answers = await Task.WhenAll(tasks).ConfigureAwait(false);
        foreach (var answer in answers.Where(a => !a.Result.Succeeded))
        {
            logger.PrivacyStoreFailed(endpoint, answer.Result.Store, answer.Result.Outcome, answer.LogReason);
        }

        return [.. answers.Select(a => a.Result)];
    }

    private async Task<(ClerkStorePrivacyResult Result, string LogReason)> AskAsync(
        string endpoint, ClerkStore store, Func<ClerkClient, CancellationToken, Task<JsonElement?>> call, CancellationToken cancellationToken)
    {
        if (!store.HasPrivateKey)
        {
            var key = store.Setting(nameof(ClerkStoreOptions.PrivateKey));
            return (new ClerkStorePrivacyResult(store.Name, ClerkPrivacyOutcome.NoPrivateKey,
                $"The Clerk store '{store.Name}' has no private key, which {endpoint} needs: set {key} (my.clerk.io › Developers › API Keys) in user secrets or the environment, then call again."),
                $"{key} is not set");
        }

        try
        {
            var client = ClerkClient.Create(httpClients, calls.ForStore(store), time);
            var info = await call(client, cancellationToken).ConfigureAwait(false);
            return (new ClerkStorePrivacyResult(store.Name, ClerkPrivacyOutcome.Accepted, info: info), "");
        }
        catch (ClerkApiException exception)
        {
            // Clerk's message goes to the caller, not the log: it may quote the call's arguments (the e-mail).
            return (new ClerkStorePrivacyResult(store.Name, ClerkPrivacyOutcome.Rejected, exception.Message),
                $"{exception.Type}, HTTP {exception.StatusCode}{(exception.ErrorId is null ? "" : $", error ID {exception.ErrorId}")}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (new ClerkStorePrivacyResult(store.Name, ClerkPrivacyOutcome.Unreachable,
                $"Clerk did not answer {endpoint} for the store '{store.Name}': {exception.Message}"),
                exception.GetType().Name);
        }
    }

    private ClerkPrivacyMessage ToExport(ClerkOutboxMessage message) => new(
        message.Id,
        stores.FindByPublicKey(message.Store)?.Name,
        message.Kind,
        message.Endpoint,
        message.OrderId,
        message.CreatedAt,
        message.State,
        WithoutKeys(message.Body));

    // The public key is no secret, but an export is for the person, who has no use for it; the private key is never
    // stored, and is left out should an older version have stored it.
    private static JsonElement WithoutKeys(string body)
    {
        using var document = JsonDocument.Parse(body);
        return JsonObjects.Without(document.RootElement, "key", "private_key");
    }

    private static string Outcomes(IReadOnlyList<ClerkStorePrivacyResult> answers) =>
        string.Join(", ", answers.Select(a => $"{a.Store}: {a.Outcome}"));
}
