using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.TagHelpers.Markup;

/// <summary>
/// What the tag helpers do with a mistake in the shop's markup: in Development, throw with a message that says what
/// is wrong and how to fix it (the developer exception page shows it); elsewhere, log it with a stable event id,
/// count it, and let the page render.
/// </summary>
internal sealed class MarkupDiagnostics(IHostEnvironment environment, ILogger<MarkupDiagnostics> logger, ClerkMetrics metrics)
{
    public bool IsDevelopment { get; } = environment.IsDevelopment();

    public ILogger Logger => logger;

    public ClerkMetrics Metrics => metrics;

    public void LabelsMissing(string problem)
    {
        ThrowInDevelopment(problem);
        logger.LabelsMissing(problem);
        metrics.MarkupProblem("labels_missing");
    }

    public void LabelsReused(string problem)
    {
        ThrowInDevelopment(problem);
        logger.LabelsReused(problem);
        metrics.MarkupProblem("labels_reused");
    }

    public void SaleInvalid(string problem)
    {
        ThrowInDevelopment(problem);
        logger.SaleInvalid(problem);
        metrics.MarkupProblem("sale_invalid");
    }

    public void MarkupInvalid(string problem)
    {
        ThrowInDevelopment(problem);
        logger.MarkupInvalid(problem);
        metrics.MarkupProblem("markup_invalid");
    }

    public void VisitorFeatureMissing(string tagName)
    {
        ThrowInDevelopment(
            $"<{tagName}> needs the visitor that UseClerkTracking() resolves, but it did not run for this request. Call app.UseClerkTracking() after app.UseCookiePolicy() and before the endpoints in Program.cs.");
        logger.VisitorFeatureMissing(tagName);
        metrics.MarkupProblem("visitor_unknown");
    }

    /// <summary>
    /// Runs a tag helper's rendering so that no exception from it reaches the page outside Development: the failure
    /// is logged and counted, <paramref name="onFailure"/> takes the Clerk markup back out, and the page renders.
    /// </summary>
    /// <remarks>
    /// The tag helper and its output come as <paramref name="state"/>, for static delegates: a lambda that captured
    /// them would cost a closure and two delegates on every element (a results block's 24 products: about 4 KB a page).
    /// </remarks>
    public void Contain<TState>(string tagName, TState state, Action<TState> render, Action<TState> onFailure)
    {
        try
        {
            render(state);
        }
        catch (Exception exception) when (!IsDevelopment)
        {
            onFailure(state);
            Failed(tagName, exception);
        }
    }

    /// <summary>Records an unexpected failure that was contained; only called outside Development.</summary>
    public void Failed(string tagName, Exception exception)
    {
        logger.MarkupFailed(tagName, exception);
        metrics.MarkupProblem("failed");
    }

    private void ThrowInDevelopment(string problem)
    {
        if (IsDevelopment)
        {
            throw new InvalidOperationException(problem);
        }
    }
}
