using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore;

/// <summary>
/// How an <see cref="IClerkOutbox"/> finds and redacts the messages that mention a person (the right to erasure), by
/// reading their JSON bodies; public so that an outbox of the shop's own matches exactly as the package's do.
/// </summary>
public static class ClerkOutboxRedaction
{
    private const string EmailProperty = "email";
    private const string CustomerProperty = "customer";
    private const string VisitorProperty = "visitor";

    /// <summary>
    /// Whether the message body names <paramref name="subject"/>: its top-level <c>email</c> equals the e-mail address
    /// (both trimmed, compared without case), its <c>customer</c> equals the customer ID (exactly) or its <c>visitor</c>
    /// the visitor ID (exactly). Only whole values count: <c>bob@x.com</c> does not match <c>jimbob@x.com</c>.
    /// </summary>
    /// <param name="body">A message's JSON body.</param>
    /// <param name="subject">The person.</param>
    /// <returns>Whether the body names the person; <see langword="false"/> for a body that is not a JSON object.</returns>
    public static bool Mentions(string body, ClerkPrivacySubject subject)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(subject);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false; // bodies are checked when tracked; one that is not JSON names nobody the package can tell
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            return subject.Kind switch
            {
                ClerkPrivacySubjectKind.Email => Text(root, EmailProperty) is { } email
                    && string.Equals(email.Trim(), subject.Email, StringComparison.OrdinalIgnoreCase),
                ClerkPrivacySubjectKind.Customer => Text(root, CustomerProperty) is { } customer
                    && string.Equals(customer, subject.Customer, StringComparison.Ordinal),
                _ => Text(root, VisitorProperty) is { } visitor
                    && string.Equals(visitor, subject.Visitor, StringComparison.Ordinal),
            };
        }
    }

    /// <summary>
    /// The body without the person: <c>email</c> and <c>customer</c> removed and <c>visitor</c> set to <c>null</c>
    /// (Clerk's <c>log/sale</c> takes a sale without a visitor; it counts in revenue, attributed to nobody). Everything
    /// else (the key, the order, its lines) stays.
    /// </summary>
    /// <param name="body">A message's JSON body.</param>
    /// <returns>The redacted body; a body that is not a JSON object as it is.</returns>
    public static string Redact(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }

        if (node is not JsonObject json)
        {
            return body;
        }

        json.Remove(EmailProperty);
        json.Remove(CustomerProperty);
        if (json.ContainsKey(VisitorProperty))
        {
            json[VisitorProperty] = null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            json.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A piece of the subject's value, in lower case, that every body naming the subject contains as written (lower
    /// cased): the longest run of ASCII letters, digits, <c>.</c>, <c>@</c>, <c>_</c> and <c>-</c>, which no JSON
    /// writer escapes (<c>+</c> may become <c>\u002B</c>). A database outbox may preselect rows whose lower-cased body
    /// contains it, then must check each with <see cref="Mentions"/>: the piece alone matches other people too.
    /// </summary>
    /// <param name="subject">The person.</param>
    /// <returns>The piece, or <see langword="null"/> when the value has no such character (then every row is a candidate).</returns>
    public static string? SearchText(ClerkPrivacySubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var value = subject.Email ?? subject.Customer ?? subject.Visitor ?? "";
        int bestStart = 0, bestLength = 0, start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length && IsPlain(value[i]))
            {
                continue;
            }

            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }

            start = i + 1;
        }

        return bestLength == 0 ? null : value.Substring(bestStart, bestLength).ToLowerInvariant();
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '@' or '_' or '-';

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(), // a customer ID a shop's own outbox wrote as a number
                _ => null,
            }
            : null;
}
