namespace Clerk.AspNetCore.Testing;

/// <summary>Files the emulator serves, embedded in the assembly so it needs no static-file setup.</summary>
internal static class EmulatorAssets
{
    private static readonly Lazy<byte[]> LazyClerkJs = new(() => Read("Clerk.AspNetCore.Testing.clerk.js"));

    /// <summary>The stand-in Clerk.js.</summary>
    public static byte[] ClerkJs => LazyClerkJs.Value;

    private static byte[] Read(string name)
    {
        using var stream = typeof(EmulatorAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(EmulatorAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
