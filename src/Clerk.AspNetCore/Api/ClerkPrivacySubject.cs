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

    /// <summary>How the subject is given: by e-mail, customer ID or visitor ID. Safe to log (the value is not).</summary>
    public ClerkPrivacySubjectKind Kind =>
        Email is not null ? ClerkPrivacySubjectKind.Email
        : Customer is not null ? ClerkPrivacySubjectKind.Customer
        : ClerkPrivacySubjectKind.Visitor;

    /// <summary>The kind only, never the value: a subject can be logged without the person's data.</summary>
    /// <returns>The kind, such as <c>Email</c>.</returns>
    public override string ToString() => Kind.ToString();

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

/// <summary>How a <see cref="ClerkPrivacySubject"/> is given.</summary>
public enum ClerkPrivacySubjectKind
{
    /// <summary>By e-mail address (<see cref="ClerkPrivacySubject.ByEmail"/>).</summary>
    Email,

    /// <summary>By the shop's customer ID (<see cref="ClerkPrivacySubject.ByCustomer"/>).</summary>
    Customer,

    /// <summary>By Clerk visitor ID (<see cref="ClerkPrivacySubject.ByVisitor"/>).</summary>
    Visitor,
}
