using Clerk.AspNetCore.Testing;
using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.Architecture;

/// <summary>
/// The public API of each package is declared in its PublicAPI.*.txt files, which the public-API analyzer keeps in
/// step with the code (a public change that is not declared fails the build). This checks the files themselves, so
/// that a package whose analyzer was switched off does not silently drift from them.
/// </summary>
public sealed class PublicApiFileTests
{
    [Theory]
    [InlineData("Clerk.AspNetCore")]
    [InlineData("Clerk.AspNetCore.Testing")]
    public void PublicApiFiles_OfEachPackage_DeclareEveryExportedType(string package)
    {
        var assembly = package == "Clerk.AspNetCore" ? typeof(ClerkOptions).Assembly : typeof(ClerkEmulator).Assembly;
        var declared = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(file => File.ReadAllLines(Repository.PathOf("src", package, file)))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith("static ", StringComparison.Ordinal) ? line["static ".Length..] : line)
            .Where(line => !line.Contains(' ', StringComparison.Ordinal) && !line.Contains('(', StringComparison.Ordinal) && !line.Contains(".get", StringComparison.Ordinal))
            .Select(WithoutTypeParameters)
            .ToHashSet(StringComparer.Ordinal);

        // A generic type is declared as Name<T> and exported as Name`1: both are compared as Name.
        var exported = assembly.GetExportedTypes().Select(type => WithoutTypeParameters(type.FullName!.Replace('+', '.'))).ToList();

        Assert.NotEmpty(exported);
        Assert.All(exported, type => Assert.True(declared.Contains(type), $"{type} is public but not declared in src/{package}/PublicAPI.*.txt."));
    }

    private static string WithoutTypeParameters(string name)
    {
        var generic = name.IndexOfAny(['<', '`']);
        return generic < 0 ? name : name[..generic];
    }
}
