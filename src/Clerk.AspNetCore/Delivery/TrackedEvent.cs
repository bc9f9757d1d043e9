namespace Clerk.AspNetCore.Delivery;

/// <summary>What a queued event is; sales and returns must be delivered, the others may be dropped.</summary>
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

    /// <summary>Sales and returns are money: they wait for room in the queue and are retried until given up.</summary>
    public static bool MustDeliver(this TrackedEvent kind) => kind is TrackedEvent.Sale or TrackedEvent.Return;
}
