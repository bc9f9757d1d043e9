namespace Clerk.AspNetCore.Testing;

/// <summary>The body of <c>POST {emulator}/_emulator/faults</c>.</summary>
internal sealed record FaultRequest(string Endpoint, ClerkEmulatorFaultKind Kind, int? Times, int? RetryAfterSeconds, int? DelayMilliseconds);
