namespace Clerk.AspNetCore;

/// <summary>The kind of error Clerk reported, from the <c>type</c> of its error envelope.</summary>
public enum ClerkErrorType
{
    /// <summary>Clerk's answer was not its error envelope (for example a proxy's error page); see <see cref="ClerkApiException.StatusCode"/>.</summary>
    Unknown,

    /// <summary>A wrong or missing API key, or a disabled store.</summary>
    AuthenticationError,

    /// <summary>Invalid JSON, a missing argument or an argument of the wrong type (for example string vs integer product IDs).</summary>
    ParsingError,

    /// <summary>The call is well-formed but means something Clerk cannot do.</summary>
    LogicalError,

    /// <summary>Clerk's own fault: try again later, and quote <see cref="ClerkApiException.ErrorId"/> to Clerk's support.</summary>
    InternalError,
}
