namespace Clerk.AspNetCore;

/// <summary>How long and for how many orders the default in-memory sale ledger remembers that a sale was sent.</summary>
public sealed class ClerkSaleLedgerOptions
{
    /// <summary>How long an order is remembered after its sale was sent. A confirmation page opened after this
    /// (from an old bookmark) sends the sale again, so keep it longer than customers revisit confirmation pages.</summary>
    /// <value>Defaults to 30 days.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many orders are remembered at most; past it the least recently seen orders are forgotten first.
    /// Each order costs about 200 bytes.</summary>
    /// <value>Defaults to 100,000.</value>
    public int SizeLimit { get; set; } = 100_000;
}
