using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012; the reference
/// implementation's <c>siphash.c</c> with an output length of 16): a keyed pseudorandom function made for short
/// inputs, the function Plausible derives its cookieless visitor IDs with (here with the 128-bit tag). It replaced an
/// HMAC-SHA256 through the platform's cryptography library, which cost 0.7–0.9 µs for a cookieless visitor's ~150
/// bytes, mostly call overhead: an undecided visitor's whole cost went from 1.4 µs to 0.6 µs (docs/performance.md).
/// </summary>
internal static class SipHash128
{
    public const int KeyLength = 16;
    public const int TagLength = 16;

    public static void Hash(SipHashKey key, ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (tag.Length < TagLength)
        {
            throw new ArgumentException($"The tag needs {TagLength} bytes.", nameof(tag));
        }

        var v0 = 0x736f6d6570736575UL ^ key.K0;
        var v1 = 0x646f72616e646f6dUL ^ key.K1 ^ 0xee;
        var v2 = 0x6c7967656e657261UL ^ key.K0;
        var v3 = 0x7465646279746573UL ^ key.K1;

        var blocks = message.Length / 8;
        for (var i = 0; i < blocks; i++)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(message.Slice(i * 8, 8));
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        // The last 0–7 bytes, little-endian, under the message length's low byte.
        var last = (ulong)message.Length << 56;
        var tail = message[(blocks * 8)..];
        for (var i = 0; i < tail.Length; i++)
        {
            last |= (ulong)tail[i] << (8 * i);
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;

        v2 ^= 0xee;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        BinaryPrimitives.WriteUInt64LittleEndian(tag, v0 ^ v1 ^ v2 ^ v3);

        v1 ^= 0xdd;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], v0 ^ v1 ^ v2 ^ v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}

/// <summary>A <see cref="SipHash128"/> key: two little-endian 64-bit words.</summary>
internal readonly record struct SipHashKey(ulong K0, ulong K1)
{
    public static SipHashKey From(ReadOnlySpan<byte> key)
    {
        if (key.Length != SipHash128.KeyLength)
        {
            throw new ArgumentException($"A SipHash key is {SipHash128.KeyLength} bytes; this one has {key.Length}.", nameof(key));
        }

        return new(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
    }
}
