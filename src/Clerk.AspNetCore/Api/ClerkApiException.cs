namespace Clerk.AspNetCore;

/// <summary>
/// Clerk answered a call with an error: its error envelope (<c>{"status":"error", "type", "message", "id", "moreInfo"}</c>),
/// whatever the HTTP status (Clerk sometimes sends it with HTTP 200), or an HTTP error without one.
/// </summary>
public sealed class ClerkApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="endpoint">The endpoint called, such as <c>log/sale</c>.</param>
    /// <param name="statusCode">The HTTP status of Clerk's answer.</param>
    /// <param name="type">The error type from the envelope.</param>
    /// <param name="clerkMessage">Clerk's message.</param>
    /// <param name="errorId">Clerk's error ID, if any.</param>
    /// <param name="moreInfo">Clerk's page about the error, if any.</param>
    /// <param name="retryAfter">The delay asked for by a <c>Retry-After</c> header, if any.</param>
    public ClerkApiException(string endpoint, int statusCode, ClerkErrorType type, string clerkMessage, string? errorId = null, Uri? moreInfo = null, TimeSpan? retryAfter = null)
        : base($"Clerk rejected {endpoint} (HTTP {statusCode}, {type}): {clerkMessage}{(errorId is null ? string.Empty : $" (error ID {errorId})")}")
    {
        Endpoint = endpoint;
        StatusCode = statusCode;
        Type = type;
        ClerkMessage = clerkMessage;
        ErrorId = errorId;
        MoreInfo = moreInfo;
        RetryAfter = retryAfter;
    }

    /// <summary>The endpoint called, such as <c>log/sale</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The HTTP status of Clerk's answer (200 for an error envelope sent as a success).</summary>
    public int StatusCode { get; }

    /// <summary>The kind of error.</summary>
    public ClerkErrorType Type { get; }

    /// <summary>Clerk's own message, for example <c>Invalid Syntax In Argument: products</c>.</summary>
    public string ClerkMessage { get; }

    /// <summary>Clerk's ID for the error, to quote to Clerk's support.</summary>
    public string? ErrorId { get; }

    /// <summary>Clerk's page about the error (kept for 24 hours unless opened).</summary>
    public Uri? MoreInfo { get; }

    /// <summary>How long Clerk asked to wait before trying again (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// Whether trying again later can succeed: HTTP 5xx, 408 and 429, and Clerk's <see cref="ClerkErrorType.InternalError"/>.
    /// Other errors (a bad key, a malformed call) fail the same way every time.
    /// </summary>
    public bool IsTransient =>
        StatusCode >= 500 || StatusCode is 408 or 429 || Type == ClerkErrorType.InternalError;
}
