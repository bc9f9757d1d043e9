namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// What a tracked event is. Sales and returns must be delivered (they go through the <see cref="IClerkOutbox"/>); the
/// others travel in the in-memory <see cref="DeliveryQueue"/> and may be dropped.
/// </summary>
internal enum TrackedEvent
{
    Click,
    ProductView,
    CategoryView,
    Email,
    Sale,
    Return,
}

internal static class TrackedEventNames
{
    /// <summary>The event's name in logs and metric tags.</summary>
    public static string Name(this TrackedEvent kind) => kind switch
    {
        TrackedEvent.Click => "click",
        TrackedEvent.ProductView => "product_view",
        TrackedEvent.CategoryView => "category_view",
        TrackedEvent.Email => "email",
        TrackedEvent.Sale => "sale",
        _ => "return",
    };
}
