namespace Clerk.AspNetCore.Api;

/// <summary>A checked call to Clerk, ready to send: the endpoint and its JSON body (with the visitor already decided).</summary>
/// <param name="Endpoint">The endpoint, such as <c>log/sale</c>.</param>
/// <param name="Body">The UTF-8 JSON body, keys included; never logged.</param>
internal sealed record ClerkCall(string Endpoint, byte[] Body);
