using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// What one of the emulator's stores has received: every call (bounded, oldest dropped first), every stored sale, and the catalog
/// (from <see cref="ClerkEmulatorOptions.Catalog"/>, <c>product/add</c> and <c>product/remove</c>, and the last import).
/// Query it from tests, or over HTTP at <c>{emulator}/_emulator/calls</c>, <c>{emulator}/_emulator/sales</c> (the
/// counts of <see cref="GetSalesSummary"/>), <c>{emulator}/_emulator/sales/{saleId}</c> and
/// <c>{emulator}/_emulator/import</c> (<see cref="LastImport"/>), each with <c>?store={publicKey}</c> for a store other
/// than the default one. Each store has its own state (<see cref="ClerkEmulatorStores"/>): nothing a call does in one
/// store is seen in another.
/// </summary>
public sealed class ClerkEmulatorState
{
    private readonly object _gate = new();
    private readonly LinkedList<ClerkEmulatorCall> _calls = new();
    private readonly Dictionary<string, ClerkEmulatorSale> _sales = new(StringComparer.Ordinal);
    private readonly List<ClerkEmulatorCall> _duplicateSales = [];
    private readonly Dictionary<string, (ClerkEmulatorFault Fault, int? Remaining)> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ClerkEmulatorFaultMix Mix, Random Draws)> _faultMixes = new(StringComparer.Ordinal);
    private readonly int _maxCalls;
    private readonly EmulatorCatalog _catalog;
    private IReadOnlyList<ClerkEmulatorCategory> _categories = [];
    private IReadOnlyList<ClerkEmulatorOrder> _orders = [];
    private ClerkEmulatorImport? _lastImport;
    private readonly EmulatorSequence _sequence;
    private long _salesReceived;
    private long _salesDuplicated;
    private long _salesFailed;

    /// <summary>Creates an empty state of the default store (<see cref="ClerkEmulatorOptions.PublicKey"/>).</summary>
    /// <param name="options">The emulator's options.</param>
    public ClerkEmulatorState(IOptions<ClerkEmulatorOptions> options)
        : this(
            (options ?? throw new ArgumentNullException(nameof(options))).Value,
            new ClerkEmulatorStoreOptions(options.Value.PublicKey, options.Value.PrivateKey),
            options.Value.Catalog,
            new EmulatorSequence())
    {
    }

    /// <summary>Creates the empty state of one store; the stores of an emulator share one sequence of call numbers.</summary>
    internal ClerkEmulatorState(ClerkEmulatorOptions options, ClerkEmulatorStoreOptions store, IEnumerable<ClerkEmulatorProduct> catalog, EmulatorSequence sequence)
    {
        _maxCalls = Math.Max(1, options.MaxRecordedCalls);
        _catalog = new EmulatorCatalog(catalog);
        _sequence = sequence;
        PublicKey = store.PublicKey;
        PrivateKey = store.PrivateKey;
    }

    /// <summary>The public key of the store this state is of: calls with this <c>key</c> land here.</summary>
    public string PublicKey { get; }

    /// <summary>The store's private key, which its guarded calls and the import of its feeds use.</summary>
    internal string PrivateKey { get; }

    /// <summary>
    /// The JSON type of the catalog's product IDs: calls must send IDs of this type, as Clerk compares IDs with their
    /// type. <see cref="ClerkEmulatorIdType.None"/> while the catalog is empty.
    /// </summary>
    public ClerkEmulatorIdType CatalogIdType => EmulatorCatalog.IdType(_catalog.Products);

    /// <summary>
    /// The last import from a shop's feeds (<c>POST {emulator}/_emulator/import</c> or
    /// <see cref="ClerkEmulatorImporter"/>), finished or still running (<see cref="ClerkEmulatorImport.FinishedAt"/> is
    /// null then), or <see langword="null"/> when there was none. <see cref="Reset"/> keeps it.
    /// </summary>
    public ClerkEmulatorImport? LastImport => Volatile.Read(ref _lastImport);

    internal EmulatorCatalog Catalog => _catalog;

    /// <summary>
    /// The catalog's products in catalog order: those of <see cref="ClerkEmulatorOptions.Catalog"/> or of the last
    /// successful import, as changed since by <c>product/add</c> and <c>product/remove</c>. <see cref="Reset"/> keeps them.
    /// </summary>
    /// <returns>A snapshot of the products.</returns>
    public IReadOnlyList<ClerkEmulatorProduct> GetProducts() => _catalog.Products;

    /// <summary>The catalog's product with this ID (as text), or <see langword="null"/>.</summary>
    /// <param name="id">The product ID, such as <c>101</c>.</param>
    /// <returns>The product, or <see langword="null"/> when the catalog has none with that ID.</returns>
    public ClerkEmulatorProduct? GetProduct(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _catalog.Products.FirstOrDefault(p => p.Id == id);
    }

    /// <summary>The categories of the last successful import of the category feed.</summary>
    /// <returns>A snapshot of the categories.</returns>
    public IReadOnlyList<ClerkEmulatorCategory> GetCategories() => Volatile.Read(ref _categories);

    /// <summary>The orders of the last successful import of the order feed (they are not sales: attribution ignores them).</summary>
    /// <returns>A snapshot of the orders.</returns>
    public IReadOnlyList<ClerkEmulatorOrder> GetOrders() => Volatile.Read(ref _orders);

    /// <summary>Records an import that started, or its end.</summary>
    internal void SetLastImport(ClerkEmulatorImport import) => Volatile.Write(ref _lastImport, import);

    /// <summary>Applies a successful import: each part that was imported replaces what the emulator had.</summary>
    internal void ApplyImport(
        IReadOnlyList<ClerkEmulatorProduct>? products, IReadOnlyList<ClerkEmulatorCategory>? categories, IReadOnlyList<ClerkEmulatorOrder>? orders)
    {
        if (products is not null)
        {
            _catalog.Replace(products);
        }

        if (categories is not null)
        {
            Volatile.Write(ref _categories, categories);
        }

        if (orders is not null)
        {
            Volatile.Write(ref _orders, orders);
        }
    }

    /// <summary>The recorded calls in order of arrival, optionally only those of one endpoint and/or visitor.</summary>
    /// <param name="endpoint">Only calls of this endpoint, such as <c>log/sale</c>.</param>
    /// <param name="visitor">Only calls by this visitor.</param>
    /// <returns>A snapshot of the matching calls.</returns>
    public IReadOnlyList<ClerkEmulatorCall> GetCalls(string? endpoint = null, string? visitor = null)
    {
        lock (_gate)
        {
            return _calls
                .Where(c => endpoint is null || c.Endpoint == endpoint)
                .Where(c => visitor is null || c.Visitor == visitor)
                .ToList();
        }
    }

    /// <summary>Every stored sale, in the order they were stored.</summary>
    /// <returns>A snapshot of the sales.</returns>
    public IReadOnlyList<ClerkEmulatorSale> GetSales()
    {
        lock (_gate)
        {
            return _sales.Values.OrderBy(s => s.CallSequence).ToList();
        }
    }

    /// <summary>The stored sale with this ID and its attribution, or <see langword="null"/>.</summary>
    /// <param name="saleId">The sale ID.</param>
    /// <returns>The report, or <see langword="null"/> when no sale has that ID.</returns>
    public ClerkEmulatorSaleReport? GetSale(string saleId)
    {
        lock (_gate)
        {
            if (!_sales.TryGetValue(saleId, out var sale))
            {
                return null;
            }

            var productIds = sale.Products.Select(p => p.ProductId).ToHashSet(StringComparer.Ordinal);
            var clicks = sale.Visitor is null
                ? []
                : _calls.Where(c => c.Endpoint == "log/click" && c.Succeeded && c.Sequence < sale.CallSequence
                        && c.Visitor == sale.Visitor && ClickedProduct(c) is { } product && productIds.Contains(product))
                    .ToList();
            var duplicates = _duplicateSales.Where(d => SaleIdOf(d) == saleId).ToList();
            return new ClerkEmulatorSaleReport(
                sale,
                clicks.Count > 0,
                clicks.SelectMany(c => c.Labels).Distinct(StringComparer.Ordinal).ToList(),
                clicks,
                duplicates);
        }
    }

    /// <summary>
    /// How many <c>log/sale</c> calls arrived, how many distinct orders they stored and how many were duplicates, since
    /// the last <see cref="Reset"/>. Over HTTP: <c>GET {emulator}/_emulator/sales</c>.
    /// </summary>
    /// <returns>The counts at this moment.</returns>
    public ClerkEmulatorSalesSummary GetSalesSummary()
    {
        lock (_gate)
        {
            return new ClerkEmulatorSalesSummary(_salesReceived, _sales.Count, _salesDuplicated, _salesFailed);
        }
    }

    /// <summary>Forgets every call and sale, and the counts of <see cref="GetSalesSummary"/>.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            _sales.Clear();
            _duplicateSales.Clear();
            _salesReceived = _salesDuplicated = _salesFailed = 0;
        }
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> calls of <paramref name="endpoint"/> fail as <paramref name="fault"/>
    /// says, or every call until <see cref="ClearFaults"/> when <paramref name="times"/> is null. Replaces the
    /// endpoint's earlier fault or fault mix.
    /// </summary>
    /// <param name="endpoint">The endpoint, such as <c>log/sale</c>.</param>
    /// <param name="fault">What to do to its calls.</param>
    /// <param name="times">How many calls, or null for all.</param>
    public void InjectFault(string endpoint, ClerkEmulatorFault fault, int? times = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(fault);
        if (times is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(times), times, "A fault must apply to at least one call, or to all (null).");
        }

        lock (_gate)
        {
            _faultMixes.Remove(endpoint);
            _faults[endpoint] = (fault, times);
        }
    }

    /// <summary>
    /// Makes a share of the calls of <paramref name="endpoint"/> fail, with a mix of kinds, until
    /// <see cref="ClearFaults"/>: see <see cref="ClerkEmulatorFaultMix"/>. The draws start afresh from the mix's seed,
    /// so injecting the same mix again repeats the same faults. Replaces the endpoint's earlier fault or fault mix.
    /// </summary>
    /// <param name="endpoint">The endpoint, such as <c>log/sale</c>.</param>
    /// <param name="mix">The share of calls to fail, the kinds and the seed.</param>
    public void InjectFaultMix(string endpoint, ClerkEmulatorFaultMix mix)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(mix);
        lock (_gate)
        {
            _faults.Remove(endpoint);

            // Seeded on purpose (not a security use): a load run must be repeatable.
            _faultMixes[endpoint] = (mix, new Random(mix.Seed));
        }
    }

    /// <summary>Removes every injected fault and fault mix.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
            _faultMixes.Clear();
        }
    }

    internal ClerkEmulatorFault? TakeFault(string endpoint)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(endpoint, out var entry))
            {
                return _faultMixes.TryGetValue(endpoint, out var mixed) ? Draw(mixed.Mix, mixed.Draws) : null;
            }

            if (entry.Remaining is { } remaining)
            {
                if (remaining <= 1)
                {
                    _faults.Remove(endpoint);
                }
                else
                {
                    _faults[endpoint] = (entry.Fault, remaining - 1);
                }
            }

            return entry.Fault;
        }
    }

    /// <summary>One call's draw from a mix: under the lock, so concurrent calls take the seeded sequence in turn.</summary>
    private static ClerkEmulatorFault? Draw(ClerkEmulatorFaultMix mix, Random draws)
    {
        if (draws.NextDouble() >= mix.Rate)
        {
            return null;
        }

        var kind = mix.Kinds[draws.Next(mix.Kinds.Count)];
        return new ClerkEmulatorFault(kind, mix.RetryAfter, mix.Delay);
    }

    /// <summary>Units sold per product ID, over the stored sales.</summary>
    internal Dictionary<string, int> SoldQuantities()
    {
        lock (_gate)
        {
            return _sales.Values.SelectMany(s => s.Products)
                .GroupBy(p => p.ProductId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Quantity), StringComparer.Ordinal);
        }
    }

    /// <summary>How often each product was bought in one order together with any of <paramref name="products"/>.</summary>
    internal Dictionary<string, int> BoughtTogetherWith(IReadOnlySet<string> products)
    {
        lock (_gate)
        {
            return _sales.Values
                .Where(s => s.Products.Any(p => products.Contains(p.ProductId)))
                .SelectMany(s => s.Products.Select(p => p.ProductId).Distinct(StringComparer.Ordinal))
                .GroupBy(id => id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Activity per product ID since <paramref name="since"/>: one per successful click or product view, plus the units
    /// of the stored sales.
    /// </summary>
    internal Dictionary<string, int> RecentActivity(DateTimeOffset since)
    {
        lock (_gate)
        {
            var activity = _calls.Where(c => c.Succeeded && c.Time >= since && c.Endpoint is "log/click" or "log/product")
                .Select(ClickedProduct)
                .OfType<string>()
                .GroupBy(id => id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var line in _sales.Values.Where(s => s.Time >= since).SelectMany(s => s.Products))
            {
                activity[line.ProductId] = activity.GetValueOrDefault(line.ProductId) + line.Quantity;
            }

            return activity;
        }
    }

    /// <summary>The products a visitor clicked or viewed, most recent first, each once.</summary>
    internal List<string> VisitorHistory(string visitor)
    {
        lock (_gate)
        {
            return _calls.Reverse()
                .Where(c => c.Visitor == visitor && c.Succeeded && c.Endpoint is "log/click" or "log/product")
                .Select(ClickedProduct)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The products of the sales with this e-mail or customer, most recent first, each once.</summary>
    internal List<string> CustomerHistory(string? email, string? customer)
    {
        lock (_gate)
        {
            return _sales.Values
                .Where(s => (email is not null && s.Email == email) || (customer is not null && s.Customer == customer))
                .OrderByDescending(s => s.CallSequence)
                .SelectMany(s => s.Products.Select(p => p.ProductId))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
    }

    internal long NextSequence() => _sequence.Next();

    /// <summary>Records a call; a repeated sale ID's call is also kept with the duplicates of that sale.</summary>
    internal void Record(ClerkEmulatorCall call, bool isDuplicateSale)
    {
        call = call with { Store = PublicKey };
        lock (_gate)
        {
            _calls.AddLast(call);
            if (call.Endpoint == "log/sale")
            {
                // Counted here, not derived from the bounded lists, so a long load run's figures stay exact.
                if (!call.Succeeded)
                {
                    _salesFailed++;
                }
                else
                {
                    _salesReceived++;
                    _salesDuplicated += isDuplicateSale ? 1 : 0;
                }
            }

            while (_calls.Count > _maxCalls)
            {
                _calls.RemoveFirst();
            }

            if (isDuplicateSale)
            {
                _duplicateSales.Add(call);
                if (_duplicateSales.Count > _maxCalls)
                {
                    _duplicateSales.RemoveAt(0);
                }
            }
        }
    }

    /// <summary>Stores the sale unless its ID is already stored: Clerk keeps only the first call for a sale ID.</summary>
    internal bool TryStoreSale(ClerkEmulatorSale sale)
    {
        lock (_gate)
        {
            return _sales.TryAdd(sale.SaleId, sale with { Store = PublicKey });
        }
    }

    /// <summary>Drops what is known about a visitor (privacy/forget): their calls, and the visitor on their sales.</summary>
    internal void Forget(string visitor)
    {
        lock (_gate)
        {
            for (var node = _calls.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Visitor == visitor)
                {
                    _calls.Remove(node);
                }

                node = next;
            }

            foreach (var sale in _sales.Values.Where(s => s.Visitor == visitor).ToList())
            {
                _sales[sale.SaleId] = sale with { Visitor = null };
            }
        }
    }

    private static string? ClickedProduct(ClerkEmulatorCall click) =>
        EmulatorJson.Argument(click.Arguments, "product");

    private static string? SaleIdOf(ClerkEmulatorCall call) =>
        EmulatorJson.Argument(call.Arguments, "sale");
}
