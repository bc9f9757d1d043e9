namespace Clerk.AspNetCore;

/// <summary>Whose data a privacy (GDPR) call is about: one of an e-mail address, a customer ID or a visitor ID.</summary>
public sealed class ClerkPrivacySubject
{
    private ClerkPrivacySubject(string? email, string? customer, string? visitor)
    {
        Email = email;
        Customer = customer;
        Visitor = visitor;
    }

    /// <summary>The e-mail address, if the subject is given by it.</summary>
    public string? Email { get; }

    /// <summary>The customer ID, if the subject is given by it.</summary>
    public string? Customer { get; }

    /// <summary>The visitor ID, if the subject is given by it.</summary>
    public string? Visitor { get; }

    /// <summary>The person with this e-mail address.</summary>
    /// <param name="email">The e-mail address.</param>
    /// <returns>The subject.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty.</exception>
    public static ClerkPrivacySubject ByEmail(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return new(email.Trim(), null, null);
    }

    /// <summary>The customer with this ID in the shop.</summary>
    /// <param name="customer">The customer ID.</param>
    /// <returns>The subject.</returns>
    /// <exception cref="ArgumentException"><paramref name="customer"/> is empty.</exception>
    public static ClerkPrivacySubject ByCustomer(string customer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customer);
        return new(null, customer, null);
    }

    /// <summary>The visitor with this Clerk visitor ID.</summary>
    /// <param name="visitor">The visitor ID: 1–32 ASCII letters or digits.</param>
    /// <returns>The subject.</returns>
    /// <exception cref="ArgumentException"><paramref name="visitor"/> is not a visitor ID.</exception>
    public static ClerkPrivacySubject ByVisitor(string visitor) => new(null, null, ClerkVisitor.Of(visitor).Id);
}
