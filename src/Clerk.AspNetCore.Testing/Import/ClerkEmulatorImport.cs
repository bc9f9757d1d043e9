namespace Clerk.AspNetCore.Testing;

/// <summary>
/// One import of a shop's feeds (<see cref="ClerkEmulatorImporter"/>): what was pulled, page by page, and whether it
/// replaced the catalog. <see cref="ClerkEmulatorState.LastImport"/> holds the last one.
/// </summary>
/// <param name="FeedBaseUrl">The feeds' base address, such as <c>http://shop/clerk</c> (no keys in it).</param>
/// <param name="StartedAt">When the import started.</param>
/// <param name="FinishedAt">When it ended; <see langword="null"/> while it runs.</param>
/// <param name="Succeeded">
/// Whether it ended without an error, and so replaced the catalog (and the categories and orders, for the feeds pulled).
/// A failed import changes nothing.
/// </param>
/// <param name="ProductIdType">The JSON type of the product feed's IDs; <see cref="ClerkEmulatorIdType.Mixed"/> fails the import.</param>
/// <param name="Feeds">Each feed pulled, in order.</param>
/// <param name="Errors">What failed the import, in words that say where (feed, page, item); empty when it succeeded.</param>
public sealed record ClerkEmulatorImport(
    Uri FeedBaseUrl,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    bool Succeeded,
    ClerkEmulatorIdType ProductIdType,
    IReadOnlyList<ClerkEmulatorImportFeed> Feeds,
    IReadOnlyList<string> Errors)
{
    /// <summary>The public key of the store the import is for: only that store's catalog changes.</summary>
    public string? Store { get; init; }
}

/// <summary>One feed of an import.</summary>
/// <param name="Name">The feed: <c>product</c>, <c>category</c> or <c>order</c>.</param>
/// <param name="Pages">The pages read, the last (short or empty) one included.</param>
/// <param name="Items">The distinct items imported (by ID).</param>
/// <param name="Duplicates">
/// Items whose ID came again on a later page (the later copy wins): a feed that pages by offset while products are
/// added or removed shows its items shifted.
/// </param>
/// <param name="Missing">Whether the shop answered 404 (a shop without an order or category feed): recorded, not an error.</param>
/// <param name="Error">What failed this feed, or <see langword="null"/>.</param>
public sealed record ClerkEmulatorImportFeed(string Name, int Pages, int Items, int Duplicates, bool Missing, string? Error);
