using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace Clerk.AspNetCore.EntityFrameworkCore;

/// <summary>
/// What the feed adapter does with a key type: compares it in SQL (keyset paging), and turns it into the product ID
/// Clerk knows and back. Integer keys are number IDs; string keys string IDs; a <see cref="Guid"/> is a string ID
/// ("d3b07384-…"). Other key types are refused when the feed is registered.
/// </summary>
internal static class FeedKey<TKey>
    where TKey : notnull
{
    private static readonly MethodInfo StringCompare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>Whether <typeparamref name="TKey"/> is a key type the adapter supports.</summary>
    public static bool IsSupported =>
        typeof(TKey) == typeof(long) || typeof(TKey) == typeof(int) || typeof(TKey) == typeof(short)
        || typeof(TKey) == typeof(string) || typeof(TKey) == typeof(Guid);

    public static ClerkProductId ToProductId(TKey key) => key switch
    {
        long number => number,
        int number => number,
        short number => number,
        string text => text,
        Guid guid => guid.ToString("D", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Keys of type {typeof(TKey).Name} cannot be Clerk product IDs."),
    };

    /// <summary>The key of a product ID; false when the ID cannot be one (the other JSON type, out of range): no such row.</summary>
    public static bool TryFromProductId(ClerkProductId id, out TKey key)
    {
        object? value = null;
        if (id.IsNumber)
        {
            var number = id.Number;
            value = typeof(TKey) == typeof(long) ? number
                : typeof(TKey) == typeof(int) && number is >= int.MinValue and <= int.MaxValue ? (int)number
                : typeof(TKey) == typeof(short) && number is >= short.MinValue and <= short.MaxValue ? (short)number
                : null;
        }
        else if (id.HasValue)
        {
            var text = id.ToString();
            value = typeof(TKey) == typeof(string) ? text
                : typeof(TKey) == typeof(Guid) && Guid.TryParse(text, CultureInfo.InvariantCulture, out var guid) ? guid
                : null;
        }

        key = value is TKey typed ? typed : default!;
        return value is not null;
    }

    /// <summary><c>key(e) &gt; boundary</c>, as SQL can run it (strings through <see cref="string.Compare(string, string)"/>, which EF turns into <c>&gt;</c>).</summary>
    public static Expression GreaterThan(Expression key, Expression boundary) =>
        typeof(TKey) == typeof(string)
            ? Expression.GreaterThan(Expression.Call(StringCompare, key, boundary), Expression.Constant(0))
            : Expression.GreaterThan(key, boundary);
}

/// <summary>
/// A value a query compares with: read through a property of this object, so EF sends it as a parameter and reuses
/// the query's plan (a constant would make a new SQL text for every page).
/// </summary>
internal sealed class QueryValue<T>(T value)
{
    public T Value { get; } = value;

    public static Expression Of(T value) =>
        Expression.Property(Expression.Constant(new QueryValue<T>(value)), nameof(Value));
}

/// <summary>A feed item with the key of the row it came from: the last key of a page is the next page's boundary.</summary>
internal sealed class Keyed<TKey, TItem>
{
    public required TKey Key { get; init; }

    public required TItem Item { get; init; }
}

/// <summary>Puts one lambda's body into another's parameter: <c>map(e)</c> and <c>key(e)</c> over the same <c>e</c>.</summary>
internal sealed class ParameterReplacer(ParameterExpression from, Expression to) : ExpressionVisitor
{
    public static Expression Replace(LambdaExpression lambda, ParameterExpression parameter) =>
        new ParameterReplacer(lambda.Parameters[0], parameter).Visit(lambda.Body);

    protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
}
