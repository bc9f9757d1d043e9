using System.Text.Json;

namespace Clerk.AspNetCore;

/// <summary>
/// Clerk's REST API from the server, for API setups. Every call is a JSON POST to <see cref="ClerkOptions.ApiBaseUrl"/>;
/// the visitor is the current request's unless one is passed. Arguments are checked before anything is sent, by the
/// same rules as the tag helpers. Calls are not retried: for tracking that must reach Clerk, use
/// <see cref="IClerkTracker"/>, which queues, retries and never throws.
/// </summary>
/// <remarks>
/// Every method throws <see cref="ArgumentException"/> for an argument Clerk would reject, <see cref="ClerkApiException"/>
/// when Clerk answers with an error (also an error envelope sent with HTTP 200), <see cref="TimeoutException"/> when
/// Clerk does not answer within <see cref="ClerkOptions.ApiTimeout"/>, and <see cref="HttpRequestException"/> when
/// Clerk cannot be reached.
/// </remarks>
public interface IClerkClient
{
    /// <summary><c>log/click</c>: the visitor clicked a product that Clerk showed.</summary>
    /// <param name="product">The clicked product's parent ID.</param>
    /// <param name="labels">The labels of the element that showed it; required, or Clerk cannot attribute the click.</param>
    /// <param name="api">The endpoint that produced the result, such as <c>recommendations/popular</c>.</param>
    /// <param name="position">The product's 0-based position in the result.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the click.</returns>
    Task LogClickAsync(ClerkProductId product, IReadOnlyList<string> labels, string? api = null, int? position = null, ClerkVisitor visitor = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>log/sale</c>: an order. This sends it now, whether or not it was sent before; use
    /// <see cref="IClerkTracker.TrackSaleAsync"/> for once-per-order sales with retries.
    /// </summary>
    /// <param name="sale">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the sale.</returns>
    Task LogSaleAsync(ClerkSale sale, CancellationToken cancellationToken = default);

    /// <summary><c>log/product</c>: the visitor viewed a product page.</summary>
    /// <param name="product">The product's parent ID.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the view.</returns>
    Task LogProductViewAsync(ClerkProductId product, ClerkVisitor visitor = default, CancellationToken cancellationToken = default);

    /// <summary><c>log/category</c>: the visitor viewed a category page.</summary>
    /// <param name="category">The category ID.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the view.</returns>
    Task LogCategoryViewAsync(string category, ClerkVisitor visitor = default, CancellationToken cancellationToken = default);

    /// <summary><c>log/email</c>: links the visitor to an e-mail address (for example on login).</summary>
    /// <param name="email">The e-mail address.</param>
    /// <param name="visitor">The visitor; by default the current request's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the address.</returns>
    Task LogEmailAsync(string email, ClerkVisitor visitor = default, CancellationToken cancellationToken = default);

    /// <summary><c>log/returned</c>: items of an order were returned or refunded. Needs <see cref="ClerkOptions.PrivateKey"/>.</summary>
    /// <param name="product">The returned product's parent ID.</param>
    /// <param name="orderId">The order it was bought in.</param>
    /// <param name="quantity">How many were returned; 1 or more.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the return.</returns>
    Task LogReturnAsync(ClerkProductId product, string orderId, int quantity, CancellationToken cancellationToken = default);

    /// <summary><c>log/basket/set</c>: a logged-in customer's cart, for Clerk's abandoned-cart e-mails.</summary>
    /// <param name="products">The parent IDs of the products in the cart (may be empty).</param>
    /// <param name="email">The customer's e-mail address.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the cart.</returns>
    Task SetBasketAsync(IReadOnlyList<ClerkProductId> products, string email, CancellationToken cancellationToken = default);

    /// <summary><c>recommendations/{endpoint}</c>: products Clerk recommends.</summary>
    /// <param name="endpoint">The recommendation, such as <c>popular</c>, <c>complementary</c> or <c>category/popular</c> (with or without <c>recommendations/</c>).</param>
    /// <param name="request">What to ask for; <see cref="ClerkResultsRequest.Labels"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The products, in Clerk's order.</returns>
    Task<ClerkResults> GetRecommendationsAsync(string endpoint, ClerkResultsRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>search/{endpoint}</c>: products matching <see cref="ClerkResultsRequest.Query"/>.</summary>
    /// <param name="endpoint">The search, <c>search</c> or <c>predictive</c> (with or without <c>search/</c>).</param>
    /// <param name="request">What to ask for; <see cref="ClerkResultsRequest.Labels"/> and <see cref="ClerkResultsRequest.Query"/> are required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The products, in Clerk's order.</returns>
    Task<ClerkResults> SearchAsync(string endpoint, ClerkResultsRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>privacy/info</c>: what Clerk holds about a person (orders and activity). Needs <see cref="ClerkOptions.PrivateKey"/>.</summary>
    /// <param name="subject">The person.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Clerk's answer without its <c>status</c>, as Clerk sends it.</returns>
    Task<JsonElement> GetPrivacyInfoAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);

    /// <summary><c>privacy/forget</c>: erases what Clerk holds about a person. Needs <see cref="ClerkOptions.PrivateKey"/>.</summary>
    /// <param name="subject">The person.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when Clerk has accepted the request.</returns>
    Task ForgetAsync(ClerkPrivacySubject subject, CancellationToken cancellationToken = default);

    /// <summary><c>client/account/info</c>: the store the keys belong to; succeeds only when both keys are right. Needs <see cref="ClerkOptions.PrivateKey"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Clerk's answer without its <c>status</c>, as Clerk sends it.</returns>
    Task<JsonElement> GetAccountInfoAsync(CancellationToken cancellationToken = default);
}
