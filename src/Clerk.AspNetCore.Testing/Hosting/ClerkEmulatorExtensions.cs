using Clerk.AspNetCore.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Hosts the Clerk emulator inside an app.</summary>
public static class ClerkEmulatorExtensions
{
    /// <summary>Adds the Clerk emulator's services. Calling it more than once adds them once.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the emulator's keys and catalog.</param>
    /// <returns>The same <paramref name="services"/>.</returns>
    public static IServiceCollection AddClerkEmulator(this IServiceCollection services, Action<ClerkEmulatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClerkEmulatorOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new ClerkEmulatorStores(provider.GetRequiredService<IOptions<ClerkEmulatorOptions>>().Value));

        // The default store's state, as before the emulator had several stores: what a test resolves to inspect calls.
        services.TryAddSingleton(provider => provider.GetRequiredService<ClerkEmulatorStores>().Default);
        services.TryAddSingleton<EmulatorApi>();
        services.AddHttpClient(ClerkEmulatorOptions.ImporterHttpClientName);
        services.TryAddSingleton(provider => new ClerkEmulatorImporter(
            provider.GetRequiredService<IHttpClientFactory>(),
            provider.GetRequiredService<ClerkEmulatorStores>(),
            provider.GetRequiredService<IOptions<ClerkEmulatorOptions>>(),
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Maps the emulator under <paramref name="prefix"/>: the inspector page at <c>{prefix}/</c>, Clerk's API at <c>{prefix}/v2/…</c>, the stand-in Clerk.js at
    /// <c>{prefix}/clerk.js</c>, and the inspection
    /// endpoints <c>GET {prefix}/_emulator/calls?endpoint=&amp;visitor=</c>, <c>GET {prefix}/_emulator/sales</c> (received,
    /// distinct and duplicate sales), <c>GET {prefix}/_emulator/sales/{saleId}</c> and <c>DELETE {prefix}/_emulator/calls</c>,
    /// fault injection at <c>POST</c>/<c>DELETE {prefix}/_emulator/faults</c> (the next N calls, or a share of all calls),
    /// and the importer of a shop's feeds at <c>POST {prefix}/_emulator/import</c> (<c>GET</c>: the last import).
    /// The emulator serves several stores (<see cref="ClerkEmulatorOptions.AdditionalStores"/>), each call going to the
    /// store of its <c>key</c>: each inspection endpoint takes <c>?store={publicKey}</c> (without it, the default store;
    /// an unknown store answers 404), and <c>DELETE</c> without <c>store</c> resets calls or faults of every store. The
    /// inspector page shows one store at a time (<c>?store=</c>, the default store without it) and lists them all.
    /// Requires <c>services.AddClerkEmulator()</c>, and the Development environment unless
    /// <see cref="ClerkEmulatorOptions.AllowOutsideDevelopment"/> is set.
    /// </summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="prefix">Where the emulator lives, such as <c>/clerk-emulator</c>.</param>
    /// <returns>The endpoints' group, for conventions.</returns>
    /// <exception cref="InvalidOperationException">
    /// The emulator's services are missing, or the environment is not Development and
    /// <see cref="ClerkEmulatorOptions.AllowOutsideDevelopment"/> is not set.
    /// </exception>
    public static RouteGroupBuilder MapClerkEmulator(this IEndpointRouteBuilder endpoints, string prefix = "/clerk-emulator")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<EmulatorApi>() is null)
        {
            throw new InvalidOperationException(
                "MapClerkEmulator() needs the emulator's services. Call builder.Services.AddClerkEmulator() in Program.cs before building the app.");
        }

        // The inspector shows every visitor's calls and lets anyone reset them, and a shop on the emulator sends its
        // tracking nowhere: outside Development that must be a decision, never the result of a missing setting.
        var environment = endpoints.ServiceProvider.GetService<IHostEnvironment>();
        if (environment?.IsDevelopment() != true
            && !endpoints.ServiceProvider.GetRequiredService<IOptions<ClerkEmulatorOptions>>().Value.AllowOutsideDevelopment)
        {
            throw new InvalidOperationException(
                $"MapClerkEmulator() refuses the '{environment?.EnvironmentName ?? "unknown"}' environment: the Clerk emulator is for development and tests, "
                + "and a shop on it sends its tracking to a fake and shows every visitor's calls to anyone. Run in Development, "
                + "or opt in where the emulator is meant to run (tests, CI, demos) with builder.Services.AddClerkEmulator(o => o.AllowOutsideDevelopment = true). "
                + "A shop that should talk to Clerk.io needs Clerk:PublicKey instead.");
        }

        var group = endpoints.MapGroup(prefix);
        group.MapGet("/", (HttpContext context, string? visitor, string? store, ClerkEmulatorStores stores) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var known = store is null || stores.Find(store) is not null;
            return Results.Content(
                InspectorPage.Render(stores, store, visitor), "text/html; charset=utf-8", statusCode: known ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        });
        group.MapGet("/clerk.js", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(EmulatorAssets.ClerkJs, "application/javascript; charset=utf-8");
        });
        group.MapMethods("/v2/{**endpoint}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context, string endpoint, EmulatorApi api) =>
            api.HandleAsync(context, endpoint.Trim('/')));

        // Over HTTP, as on the inspector page, e-mail addresses are masked: whoever reaches the emulator (a demo opted
        // in outside Development) reads no address. Tests in process read them whole from ClerkEmulatorState.
        group.MapGet("/_emulator/calls", (string? endpoint, string? visitor, string? store, ClerkEmulatorStores stores) =>
            StoreOf(stores, store) is { } state
                ? Results.Json(
                    (IReadOnlyList<ClerkEmulatorCall>)[.. state.GetCalls(endpoint, visitor).Select(EmailMask.MaskCall)],
                    EmulatorJsonContext.Default.IReadOnlyListClerkEmulatorCall)
                : UnknownStore(stores, store));
        group.MapDelete("/_emulator/calls", (string? store, ClerkEmulatorStores stores) =>
        {
            // Without a store, the whole emulator starts afresh: a test resets between runs, whichever stores it used.
            if (store is null)
            {
                stores.Reset();
                return Results.NoContent();
            }

            if (stores.Find(store) is not { } state)
            {
                return UnknownStore(stores, store);
            }

            state.Reset();
            return Results.NoContent();
        });
        group.MapGet("/_emulator/sales", (string? store, ClerkEmulatorStores stores) =>
            StoreOf(stores, store) is { } state
                ? Results.Json(state.GetSalesSummary(), EmulatorJsonContext.Default.ClerkEmulatorSalesSummary)
                : UnknownStore(stores, store));
        group.MapGet("/_emulator/sales/{saleId}", (string saleId, string? store, ClerkEmulatorStores stores) =>
            StoreOf(stores, store) is not { } state ? UnknownStore(stores, store)
            : state.GetSale(saleId) is { } report
                ? Results.Json(EmailMask.MaskReport(report), EmulatorJsonContext.Default.ClerkEmulatorSaleReport)
                : Results.NotFound());
        group.MapPost("/_emulator/faults", async (HttpContext context, string? store, ClerkEmulatorStores stores) =>
        {
            if (StoreOf(stores, store) is not { } state)
            {
                return UnknownStore(stores, store);
            }

            FaultRequest? fault;
            try
            {
                fault = await context.Request.ReadFromJsonAsync(EmulatorJsonContext.Default.FaultRequest, context.RequestAborted).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException exception)
            {
                return Results.BadRequest(exception.Message);
            }

            if (fault is null)
            {
                return Results.BadRequest("Send {\"endpoint\":\"log/sale\",\"kind\":\"InternalError\",\"times\":2}.");
            }

            if (fault.Problem() is { } problem)
            {
                return Results.BadRequest(problem);
            }

            fault.ApplyTo(state);
            return Results.NoContent();
        });
        group.MapDelete("/_emulator/faults", (string? store, ClerkEmulatorStores stores) =>
        {
            if (store is null)
            {
                stores.ClearFaults();
                return Results.NoContent();
            }

            if (stores.Find(store) is not { } state)
            {
                return UnknownStore(stores, store);
            }

            state.ClearFaults();
            return Results.NoContent();
        });
        group.MapPost("/_emulator/import", ImportAsync);
        group.MapGet("/_emulator/import", (string? store, ClerkEmulatorStores stores) =>
            StoreOf(stores, store) is not { } state ? UnknownStore(stores, store)
            : state.LastImport is { } import ? Results.Json(import, EmulatorJsonContext.Default.ClerkEmulatorImport) : Results.NotFound());
        return group;
    }

    /// <summary>
    /// <c>POST {prefix}/_emulator/import</c>: pulls the shop's feeds into the store of <c>?store=</c> or the body's
    /// <c>store</c> (see <see cref="ImportRequestBody"/>); 200 with the import when it replaced the store's catalog,
    /// 502 with it when the shop's feeds failed it (the catalog is unchanged), 400 for a request that names no feeds or
    /// an unknown store.
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext context, string? store, ClerkEmulatorImporter importer, ClerkEmulatorStores stores)
    {
        ImportRequestBody? body;
        try
        {
            body = await context.Request.ReadFromJsonAsync(EmulatorJsonContext.Default.ImportRequestBody, context.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Results.BadRequest($"{exception.Message} Send {ImportRequestBody.Example}.");
        }
        catch (InvalidOperationException)
        {
            return Results.BadRequest($"Send a JSON body (Content-Type: application/json): {ImportRequestBody.Example}.");
        }

        var (request, problem) = (body ?? new ImportRequestBody(null, null, null, null, null)).ToRequest(stores, store);
        if (request is null)
        {
            return Results.BadRequest(problem);
        }

        var import = await importer.ImportAsync(request, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(
            import, EmulatorJsonContext.Default.ClerkEmulatorImport, statusCode: import.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status502BadGateway);
    }

    /// <summary>The store <c>?store=</c> names, the default store without it, or <see langword="null"/> for an unknown one.</summary>
    private static ClerkEmulatorState? StoreOf(ClerkEmulatorStores stores, string? store) =>
        store is null ? stores.Default : stores.Find(store);

    /// <summary>404 naming the stores there are: a mistyped key is the likely mistake.</summary>
    private static IResult UnknownStore(ClerkEmulatorStores stores, string? store) =>
        Results.NotFound($"The emulator has no store with the public key '{store}'; its stores are {string.Join(", ", stores.Select(s => $"'{s.PublicKey}'"))}.");
}
