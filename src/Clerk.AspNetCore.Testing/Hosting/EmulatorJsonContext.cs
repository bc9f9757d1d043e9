using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore.Testing;

/// <summary>Source-generated JSON for the inspection endpoints.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<ClerkEmulatorCall>))]
[JsonSerializable(typeof(ClerkEmulatorSaleReport))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
