using System.Buffers;
using System.Security.Cryptography;

namespace Clerk.AspNetCore;

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
        // Rejection sampling keeps every character uniform: only bytes below 248 (4 × 62) are used, so each letter
        // or digit has exactly 4 of them; 3% of bytes are skipped.
        for (var i = 0; i < id.Length;)
        {
            var value = RandomBytes.Next();
            if (value < UniformLimit)
            {
                id[i++] = Alphabet[value % Alphabet.Length];
            }
        }
    });

    private const int UniformLimit = 256 / 62 * 62;

    /// <summary>
    /// Bytes from the operating system's CSPRNG, fetched 1 KiB at a time per thread: one call costs about as much as
    /// a whole new visitor is allowed to (~0.8 µs here), so a call per ID, let alone per character, would dominate.
    /// The bytes are as random as the CSPRNG's; each is used once.
    /// </summary>
    private static class RandomBytes
    {
        private const int PoolSize = 1024;

        [ThreadStatic]
        private static byte[]? t_pool;

        [ThreadStatic]
        private static int t_next;

        public static byte Next()
        {
            var pool = t_pool;
            if (pool is null || t_next == PoolSize)
            {
                pool = t_pool ??= new byte[PoolSize];
                RandomNumberGenerator.Fill(pool);
                t_next = 0;
            }

            var value = pool[t_next];
            pool[t_next++] = 0;
            return value;
        }
    }
}
