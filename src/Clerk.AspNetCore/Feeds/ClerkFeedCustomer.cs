namespace Clerk.AspNetCore;

/// <summary>
/// A customer as the customer feed (<c>{prefix}/customer</c>) gives it to Clerk's importer. The customer feed is mapped
/// only when the shop registers a customer source: it is personal data, shared only on purpose.
/// </summary>
public sealed class ClerkFeedCustomer
{
    /// <summary>The customer's ID, as the order feed's <see cref="ClerkFeedOrder.Customer"/> gives it.</summary>
    public required string Id { get; init; }

    /// <summary>The customer's name.</summary>
    public string? Name { get; init; }

    /// <summary>The customer's e-mail address; written only when <see cref="ClerkOptions.CollectEmails"/> is on.</summary>
    public string? Email { get; init; }

    /// <summary>The shop's extra fields, as for <see cref="ClerkFeedProduct.Fields"/>.</summary>
    public IReadOnlyDictionary<string, object?>? Fields { get; init; }
}
