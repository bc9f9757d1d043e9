using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Tests.Architecture;

/// <summary>A shop needs one <c>using Clerk.AspNetCore;</c>; extension methods live where ASP.NET Core's own do.</summary>
public sealed class PublicNamespaceTests
{
    private static readonly string[] ExtensionNamespaces =
    [
        "Microsoft.AspNetCore.Builder",
        "Microsoft.AspNetCore.Http",
        "Microsoft.Extensions.DependencyInjection",
    ];

    [Fact]
    public void PublicTypes_OfThePackage_AreInOneNamespace()
    {
        var misplaced = typeof(ClerkOptions).Assembly.GetExportedTypes()
            .Where(type => type.Namespace != "Clerk.AspNetCore")
            .Where(type => !(IsExtensionClass(type) && ExtensionNamespaces.Contains(type.Namespace)))
            .Select(type => type.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(misplaced.Count == 0,
            "Public types belong in the Clerk.AspNetCore namespace (extension classes in the Microsoft namespace they extend): "
            + string.Join(", ", misplaced));
    }

    [Fact]
    public void PublicTypes_OutsideTheNamespace_AreOnlyExtensionClasses()
    {
        var extensionClasses = typeof(ClerkOptions).Assembly.GetExportedTypes()
            .Where(type => type.Namespace != "Clerk.AspNetCore")
            .ToList();

        Assert.NotEmpty(extensionClasses);
        Assert.All(extensionClasses, type => Assert.True(IsExtensionClass(type), $"{type.FullName} is not a static extension class."));
        Assert.Contains(typeof(ClerkHttpContextExtensions), extensionClasses);
    }

    private static bool IsExtensionClass(Type type) =>
        type is { IsAbstract: true, IsSealed: true }
        && type.GetMethods(BindingFlags.Public | BindingFlags.Static).All(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute)));
}
