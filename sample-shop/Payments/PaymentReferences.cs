using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace SampleShop.Payments;

/// <summary>A payment the simulated provider is asked to take: the order, and where to send the buyer back.</summary>
/// <param name="OrderNumber">The shop's order number.</param>
/// <param name="ReturnOrigin">
/// The shop's own origin and the order's market (<c>scheme://host[:port]</c>, then <c>/en</c> for the English market),
/// where <c>/checkout/return</c> is posted: the return lands in the market, and so in the Clerk store, of the order.
/// </param>
public sealed record PaymentRequest(string OrderNumber, string ReturnOrigin);

/// <summary>
/// The payment reference that travels through the provider and back in its return POST. That POST is cross-site, so
/// it carries none of the shop's SameSite=Lax or Strict cookies (no antiforgery cookie, no visitor, no order access):
/// the reference is what proves the return is genuine. It is protected with the shop's data protection keys
/// (encrypted and signed: it cannot be forged or altered, and names no secret), expires after <see cref="Lifetime"/>,
/// and is single-use through the order itself (only an order awaiting payment can be paid; <c>/checkout/return</c>).
/// A real provider signs its return with a key of its own; the shop checks that signature instead.
/// </summary>
public sealed class PaymentReferences(IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>How long a buyer has to pay before the reference is refused.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly IDataProtector _protector = protection.CreateProtector("SampleShop.Payments.Reference.v1");

    public string Create(PaymentRequest payment)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return _protector.Protect(string.Join('\n', payment.OrderNumber, payment.ReturnOrigin, expires));
    }

    /// <summary>Reads a reference; false for anything forged, altered, expired, or not a reference at all.</summary>
    public bool TryRead(string? reference, [NotNullWhen(true)] out PaymentRequest? payment)
    {
        payment = null;
        if (string.IsNullOrEmpty(reference) || reference.Length > 1024)
        {
            return false;
        }

        string text;
        try
        {
            text = _protector.Unprotect(reference);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            // FormatException: not even base64url (Unprotect decodes before it checks).
            return false;
        }

        var parts = text.Split('\n');
        if (parts.Length != 3
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || clock.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return false;
        }

        payment = new PaymentRequest(parts[0], parts[1]);
        return true;
    }
}
