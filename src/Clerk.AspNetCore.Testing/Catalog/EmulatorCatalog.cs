using System.Text.Json;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The products the emulator knows, in catalog order (rankings break ties by it). Writers (<c>product/add</c>,
/// <c>product/remove</c>, an import) take a lock and publish a new array; every call reads one snapshot without a
/// lock, so a ranking never sees half of a change.
/// </summary>
internal sealed class EmulatorCatalog
{
    private readonly object _gate = new();
    private ClerkEmulatorProduct[] _products;

    public EmulatorCatalog(IEnumerable<ClerkEmulatorProduct> initial) => _products = [.. initial];

    /// <summary>The products now, in catalog order.</summary>
    public IReadOnlyList<ClerkEmulatorProduct> Products => Volatile.Read(ref _products);

    /// <summary>
    /// The JSON type of the catalog's IDs, which calls must use: the first product's, as when the catalog was set up
    /// (every change keeps one type); <see langword="null"/> while the catalog is empty, when any type is taken.
    /// </summary>
    public JsonValueKind? IdKind => Products is [var first, ..] ? first.IdKind : null;

    /// <summary>Adds the products, each replacing the product with its ID in place; new IDs go to the end.</summary>
    /// <returns>A problem when the products' ID type is not the catalog's (nothing is changed then), else null.</returns>
    public string? Upsert(IReadOnlyList<ClerkEmulatorProduct> products)
    {
        lock (_gate)
        {
            var current = _products;
            var kind = current is [var first, ..] ? first.IdKind : (JsonValueKind?)null;
            if (IdTypeProblem(products, kind) is { } problem)
            {
                return problem;
            }

            var next = new List<ClerkEmulatorProduct>(current.Length + products.Count);
            next.AddRange(current);
            var positions = new Dictionary<string, int>(next.Count, StringComparer.Ordinal);
            for (var i = 0; i < next.Count; i++)
            {
                positions.TryAdd(next[i].Id, i);
            }

            foreach (var product in products)
            {
                if (positions.TryGetValue(product.Id, out var at))
                {
                    next[at] = product;
                }
                else
                {
                    positions[product.Id] = next.Count;
                    next.Add(product);
                }
            }

            Volatile.Write(ref _products, [.. next]);
            return null;
        }
    }

    /// <summary>Removes the products with these IDs; IDs it does not know are ignored, as Clerk does.</summary>
    /// <returns>How many products were removed.</returns>
    public int Remove(IReadOnlySet<string> ids)
    {
        lock (_gate)
        {
            var current = _products;
            var next = current.Where(p => !ids.Contains(p.Id)).ToArray();
            Volatile.Write(ref _products, next);
            return current.Length - next.Length;
        }
    }

    /// <summary>Replaces every product, as an import does.</summary>
    public void Replace(IEnumerable<ClerkEmulatorProduct> products)
    {
        lock (_gate)
        {
            Volatile.Write(ref _products, [.. products]);
        }
    }

    /// <summary>The type of a set of IDs: <see cref="ClerkEmulatorIdType.Mixed"/> when both appear.</summary>
    public static ClerkEmulatorIdType IdType(IEnumerable<ClerkEmulatorProduct> products)
    {
        var numbers = false;
        var strings = false;
        foreach (var product in products)
        {
            numbers |= product.IsNumericId;
            strings |= !product.IsNumericId;
        }

        return (numbers, strings) switch
        {
            (true, true) => ClerkEmulatorIdType.Mixed,
            (true, false) => ClerkEmulatorIdType.Number,
            (false, true) => ClerkEmulatorIdType.String,
            _ => ClerkEmulatorIdType.None,
        };
    }

    /// <summary>
    /// Why these products cannot join a catalog whose IDs are of <paramref name="kind"/>: their IDs mix types, or are of
    /// the other type. Clerk tells <c>104</c> from <c>"104"</c>: a second type would split clicks and sales from products.
    /// </summary>
    public static string? IdTypeProblem(IReadOnlyList<ClerkEmulatorProduct> products, JsonValueKind? kind)
    {
        if (IdType(products) == ClerkEmulatorIdType.Mixed)
        {
            return "the products' IDs mix integers and strings; every product ID must have the catalog's one JSON type";
        }

        var other = products.FirstOrDefault(p => kind is not null && p.IdKind != kind);
        return other is null
            ? null
            : $"product ID {(other.IsNumericId ? other.Id : $"\"{other.Id}\"")} is {(other.IsNumericId ? "an integer" : "a string")}, "
                + $"but the catalog's IDs are {(kind == JsonValueKind.Number ? "integers" : "strings")}: send IDs of the catalog's JSON type";
    }
}
