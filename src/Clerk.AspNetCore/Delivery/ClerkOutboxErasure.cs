namespace Clerk.AspNetCore;

/// <summary>What <see cref="IClerkOutbox.ForgetAsync"/> did with the messages that mention a person.</summary>
/// <param name="deleted">Sent messages deleted.</param>
/// <param name="redacted">Messages not yet delivered (pending or failed) whose e-mail, customer and visitor were removed.</param>
/// <param name="inFlight">Of the redacted ones, those leased at that moment: their sender may be sending the old body.</param>
public sealed class ClerkOutboxErasure(int deleted, int redacted, int inFlight)
{
    /// <summary>Nothing mentioned the person.</summary>
    public static ClerkOutboxErasure None { get; } = new(0, 0, 0);

    /// <summary>Gets how many sent messages were deleted.</summary>
    public int Deleted { get; } = deleted;

    /// <summary>Gets how many messages not yet delivered were redacted (so the sale still counts, linked to nobody).</summary>
    public int Redacted { get; } = redacted;

    /// <summary>
    /// Gets how many of the redacted messages were leased: a sender may be delivering their old body right now, so
    /// Clerk may get the person's data once more. Forget at Clerk again once the outbox lease has ended.
    /// </summary>
    public int InFlight { get; } = inFlight;
}
