using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Delivery;

/// <summary>Reads a request body of at most a given size, whatever its Content-Length said (the click beacon, the feeds).</summary>
internal static class BoundedRequestBody
{
    /// <summary>The body, or <see langword="null"/> if it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, maxBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
