namespace Clerk.AspNetCore;

/// <summary>
/// Which visitor a server-side call to Clerk is made for. The default, <see cref="FromRequest"/>, is the visitor that
/// <c>UseClerkTracking()</c> resolved for the current request: an ID, or none when the visitor declined tracking.
/// </summary>
public readonly struct ClerkVisitor : IEquatable<ClerkVisitor>
{
    private readonly string? _id;
    private readonly bool _explicit;

    private ClerkVisitor(string? id)
    {
        _id = id;
        _explicit = true;
    }

    /// <summary>The current request's visitor (the default): its ID, or none when it declined or there is no request.</summary>
    public static ClerkVisitor FromRequest => default;

    /// <summary>No visitor: Clerk gets <c>"visitor": null</c>, as for a visitor who declined tracking.</summary>
    public static ClerkVisitor None => new(null);

    /// <summary>Clerk's <c>auto</c>: Clerk makes up an anonymous visitor for this one call (nothing links it to others).</summary>
    public static ClerkVisitor Auto => new("auto");

    /// <summary>Whether the visitor is taken from the current request when the call is made.</summary>
    public bool IsFromRequest => !_explicit;

    /// <summary>The explicit visitor ID, or <see langword="null"/> for <see cref="None"/> and <see cref="FromRequest"/>.</summary>
    public string? Id => _id;

    /// <summary>A visitor ID stored earlier, for example with an order: 1–32 ASCII letters or digits, or <c>auto</c>.</summary>
    /// <param name="id">The visitor ID.</param>
    /// <returns>The visitor.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not 1–32 ASCII letters or digits.</exception>
    public static ClerkVisitor Of(string id)
    {
        if (id is null || !VisitorId.IsValid(id))
        {
            throw new ArgumentException(
                "A Clerk visitor ID is 1 to 32 ASCII letters or digits (or \"auto\"). Pass the ID that HttpContext.GetClerkVisitor() gave, or ClerkVisitor.None for no visitor.",
                nameof(id));
        }

        return new ClerkVisitor(id);
    }

    /// <summary>A stored visitor ID that may be missing: <see cref="None"/> for <see langword="null"/>, otherwise <see cref="Of"/>.</summary>
    /// <param name="id">The visitor ID, or <see langword="null"/>.</param>
    /// <returns>The visitor.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not null and not 1–32 ASCII letters or digits.</exception>
    public static ClerkVisitor OfNullable(string? id) => id is null ? None : Of(id);

    /// <inheritdoc/>
    public bool Equals(ClerkVisitor other) => _explicit == other._explicit && string.Equals(_id, other._id, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ClerkVisitor other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_explicit, _id);

    /// <inheritdoc/>
    public override string ToString() => IsFromRequest ? "(from request)" : _id ?? "(none)";

    /// <summary>Compares two visitors.</summary>
    /// <param name="left">One visitor.</param>
    /// <param name="right">The other visitor.</param>
    /// <returns>Whether they are the same.</returns>
    public static bool operator ==(ClerkVisitor left, ClerkVisitor right) => left.Equals(right);

    /// <summary>Compares two visitors.</summary>
    /// <param name="left">One visitor.</param>
    /// <param name="right">The other visitor.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ClerkVisitor left, ClerkVisitor right) => !left.Equals(right);
}
