namespace Clerk.AspNetCore;

/// <summary>What became of a privacy call (<c>privacy/forget</c>, <c>privacy/info</c>) to one Clerk store.</summary>
public enum ClerkPrivacyOutcome
{
    /// <summary>Clerk accepted the call.</summary>
    Accepted,

    /// <summary>Not called: the store has no private key configured, which Clerk's privacy calls need.</summary>
    NoPrivateKey,

    /// <summary>Clerk answered with an error (a wrong key, a malformed call, Clerk's own fault); see the error.</summary>
    Rejected,

    /// <summary>Clerk did not answer: the network failed or the call timed out (<see cref="ClerkOptions.ApiTimeout"/>).</summary>
    Unreachable,
}
