using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore;

/// <summary>
/// A product ID as Clerk's catalog knows it: an integer or a string. Clerk compares IDs with their JSON type, so
/// <c>123</c> and <c>"123"</c> are different products; this type keeps the type the shop's product feed uses.
/// Always the <b>parent</b> product's ID, never a variant's or a SKU.
/// </summary>
[JsonConverter(typeof(ClerkProductIdJsonConverter))]
public readonly struct ClerkProductId : IEquatable<ClerkProductId>
{
    private readonly long _number;
    private readonly string? _text;
    private readonly bool _isNumber;

    /// <summary>Creates an integer product ID, sent to Clerk as a JSON number.</summary>
    /// <param name="id">The catalog ID.</param>
    public ClerkProductId(long id)
    {
        _number = id;
        _isNumber = true;
        _text = null;
    }

    /// <summary>Creates a string product ID, sent to Clerk as a JSON string.</summary>
    /// <param name="id">The catalog ID; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is null, empty or white space.</exception>
    public ClerkProductId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        _text = id;
        _isNumber = false;
        _number = 0;
    }

    /// <summary>Whether the ID is an integer (a JSON number); otherwise it is a string.</summary>
    public bool IsNumber => _isNumber;

    /// <summary>Whether this is a real ID; <see langword="false"/> for <c>default(ClerkProductId)</c>.</summary>
    public bool HasValue => _isNumber || _text is not null;

    /// <summary>The integer ID.</summary>
    /// <exception cref="InvalidOperationException">The ID is a string.</exception>
    public long Number => _isNumber ? _number : throw new InvalidOperationException("This Clerk product ID is a string, not a number.");

    /// <summary>Converts an integer ID.</summary>
    /// <param name="id">The catalog ID.</param>
    public static implicit operator ClerkProductId(long id) => new(id);

    /// <summary>Converts an integer ID.</summary>
    /// <param name="id">The catalog ID.</param>
    public static implicit operator ClerkProductId(int id) => new(id);

    /// <summary>Converts a string ID.</summary>
    /// <param name="id">The catalog ID; not empty or white space.</param>
    public static implicit operator ClerkProductId(string id) => new(id);

    /// <summary>Creates an ID from an integer.</summary>
    /// <param name="id">The catalog ID.</param>
    /// <returns>The ID.</returns>
    public static ClerkProductId FromInt64(long id) => new(id);

    /// <summary>Creates an ID from a string.</summary>
    /// <param name="id">The catalog ID.</param>
    /// <returns>The ID.</returns>
    public static ClerkProductId FromString(string id) => new(id);

    /// <summary>
    /// Reads an ID from a value of an integer type (kept as a number), a string (kept as a string) or a
    /// <see cref="ClerkProductId"/>.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="id">The ID, when the value is one.</param>
    /// <returns>Whether the value is a usable product ID.</returns>
    public static bool TryFrom(object? value, out ClerkProductId id)
    {
        switch (value)
        {
            case ClerkProductId productId when productId.HasValue:
                id = productId;
                return true;
            case string text when !string.IsNullOrWhiteSpace(text):
                id = new ClerkProductId(text);
                return true;
            case int or long or short or sbyte or byte or ushort or uint:
                id = new ClerkProductId(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return true;
            case ulong number when number <= long.MaxValue:
                id = new ClerkProductId((long)number);
                return true;
            default:
                id = default;
                return false;
        }
    }

    /// <summary>The ID as text: digits for an integer ID, the string itself otherwise.</summary>
    /// <returns>The ID as text; empty for <c>default</c>.</returns>
    public override string ToString() => _isNumber ? _number.ToString(CultureInfo.InvariantCulture) : _text ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(ClerkProductId other) =>
        _isNumber == other._isNumber && _number == other._number && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ClerkProductId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _isNumber ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_text ?? string.Empty);

    /// <summary>Compares two IDs, type included: <c>123</c> is not <c>"123"</c>.</summary>
    /// <param name="left">One ID.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are the same ID of the same type.</returns>
    public static bool operator ==(ClerkProductId left, ClerkProductId right) => left.Equals(right);

    /// <summary>Compares two IDs, type included.</summary>
    /// <param name="left">One ID.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ in value or type.</returns>
    public static bool operator !=(ClerkProductId left, ClerkProductId right) => !left.Equals(right);
}
