using System.Buffers;
using System.Security.Cryptography;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Clerk's visitor ID rules: "only alpha-numeric strings up to 32 characters are allowed".
/// </summary>
internal static class VisitorId
{
    /// <summary>The 62 characters a generated ID is made of.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Length of the IDs this package issues: 16 characters, about 95 bits, as Clerk's API guide suggests.</summary>
    public const int GeneratedLength = 16;

    /// <summary>The longest visitor ID Clerk accepts.</summary>
    public const int MaxLength = 32;

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>True when <paramref name="value"/> is 1–32 ASCII letters and digits, and so safe to send and render.</summary>
    public static bool IsValid(ReadOnlySpan<char> value) =>
        value.Length is > 0 and <= MaxLength && !value.ContainsAnyExcept(AlphabetValues);

    /// <summary>A new random ID from the operating system's CSPRNG, without modulo bias.</summary>
    public static string NewId() => string.Create(GeneratedLength, 0, static (id, _) =>
    {
        // One call to the CSPRNG for all characters (RandomNumberGenerator.GetString asks it once per character,
        // about 1 µs for 16). Rejection sampling keeps every character uniform: only bytes below 248 (4 × 62) are
        // used, so each letter or digit has exactly 4 of them; 3% of bytes are skipped and refilled if needed.
        Span<byte> random = stackalloc byte[2 * GeneratedLength];
        var used = random.Length;
        for (var i = 0; i < id.Length;)
        {
            if (used == random.Length)
            {
                RandomNumberGenerator.Fill(random);
                used = 0;
            }

            var value = random[used++];
            if (value < UniformLimit)
            {
                id[i++] = Alphabet[value % Alphabet.Length];
            }
        }
    });

    // The largest multiple of the alphabet's size that fits in a byte.
    private const int UniformLimit = 256 / 62 * 62;
}
