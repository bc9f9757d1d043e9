using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Clerk's REST API v2 as far as the emulator implements it: the pipeline of one call. It reads the arguments,
/// applies an injected fault, routes the call to its endpoint, records it and writes the answer; the endpoints, the
/// checks and the wire format live in their own classes.
/// </summary>
internal sealed class EmulatorApi
{
    private readonly ClerkEmulatorStores _stores;
    private readonly Dictionary<ClerkEmulatorState, StorePipeline> _pipelines;
    private readonly ClerkEmulatorOptions _options;
    private readonly TimeProvider _time;

    public EmulatorApi(ClerkEmulatorStores stores, IOptions<ClerkEmulatorOptions> options, TimeProvider time)
    {
        _stores = stores;
        _options = options.Value;
        _time = time;
        _pipelines = stores.ToDictionary(state => state, state => new StorePipeline(state, time));
    }

    public async Task HandleAsync(HttpContext context, string endpoint)
    {
        var request = context.Request;
        var callback = JsonpCallback.Of(request);

        // Sync calls carry whole products (a batch of a hundred, with descriptions), far more than a click or a sale.
        var maxBodyBytes = CatalogEndpoints.IsCatalogEndpoint(endpoint) ? _options.MaxSyncRequestBodyBytes : _options.MaxRequestBodyBytes;
        var (arguments, error, untyped) = await ArgumentReader.ReadAsync(request, _options.MaxJsonDepth, maxBodyBytes).ConfigureAwait(false);
        var call = new EmulatorCall(EmulatorJson.ToElement(arguments ?? [])) { Untyped = untyped };

        // Clerk tells its stores apart by the public key alone: the call is that store's, its faults, its data and its
        // private key. A call whose key no store has fails with AuthenticationError, recorded in the default store so
        // that a test or the inspector sees it.
        var pipeline = _pipelines[_stores.Find(EmulatorJson.Argument(call.Arguments, "key")) ?? _stores.Default];
        var state = pipeline.State;

        EmulatorResponse response;
        var fault = state.TakeFault(endpoint);
        if (fault is { Kind: ClerkEmulatorFaultKind.DropConnection })
        {
            pipeline.Recorder.Record(call, endpoint, request.Method, EmulatorResponse.Error(0, "InternalError", "Injected fault: connection dropped."));
            context.Abort();
            return;
        }

        if (fault is { Kind: ClerkEmulatorFaultKind.Delay })
        {
            // A slow server, not one that gives up: the call is handled after the delay even when its client has
            // stopped waiting, as Clerk stores a sale whose answer never arrived, so the client's retry is a duplicate
            // there too. Only the app's shutdown cuts the wait short.
            var stopping = context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
            await Task.Delay(fault.Delay ?? TimeSpan.FromSeconds(30), _time, stopping).ConfigureAwait(false);
        }

        if (fault is { Kind: ClerkEmulatorFaultKind.InternalError })
        {
            response = EmulatorResponse.Error(StatusCodes.Status500InternalServerError, "InternalError", "Injected fault: internal error.");
        }
        else if (fault is { Kind: ClerkEmulatorFaultKind.TooManyRequests })
        {
            var retryAfter = (int)Math.Ceiling((fault.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            response = EmulatorResponse.Error(StatusCodes.Status429TooManyRequests, "InternalError", $"Injected fault: too many requests; retry after {retryAfter} s.");
        }
        else if (error is not null)
        {
            response = error;
        }
        else if (callback.Length > 0 && !JsonpCallback.IsValid(callback))
        {
            response = EmulatorResponse.Parsing("Invalid Argument callback: it must be a JavaScript identifier such as 'Clerk._jsonp_123'.");
            callback = string.Empty;
        }
        else if (pipeline.Router.Find(endpoint) is { } handle)
        {
            response = handle(call);
        }
        else
        {
            response = EmulatorResponse.Error(StatusCodes.Status404NotFound, "ParsingError", $"Unknown endpoint: {endpoint}");
        }

        pipeline.Recorder.Record(call, endpoint, request.Method, response);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return; // handled, as after a delay past the client's timeout; nobody is left to read the answer
        }

        await EmulatorResponseWriter.WriteAsync(context, response, callback).ConfigureAwait(false);
    }

    /// <summary>One store's endpoints, checks and recorder, all bound to that store's state and keys.</summary>
    private sealed class StorePipeline
    {
        public StorePipeline(ClerkEmulatorState state, TimeProvider time)
        {
            State = state;
            Recorder = new EmulatorCallRecorder(state, time);
            var checks = new EmulatorCallChecks(new EmulatorKeys(state.PublicKey, state.PrivateKey), state);
            Router = new EmulatorRouter(
                new LoggingEndpoints(checks, state, time),
                new ResultEndpoints(checks, state, time),
                new AccountEndpoints(checks, state),
                new CatalogEndpoints(checks, state));
        }

        public ClerkEmulatorState State { get; }

        public EmulatorCallRecorder Recorder { get; }

        public EmulatorRouter Router { get; }
    }
}
