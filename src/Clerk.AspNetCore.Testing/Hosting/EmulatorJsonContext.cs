using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore.Testing;

/// <summary>Source-generated JSON for the inspection endpoints.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<ClerkEmulatorCall>))]
[JsonSerializable(typeof(ClerkEmulatorSaleReport))]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(ClerkEmulatorSalesSummary))]
[JsonSerializable(typeof(ImportRequestBody))]
[JsonSerializable(typeof(ClerkEmulatorImport))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
