using Clerk.AspNetCore.Delivery;
using Clerk.AspNetCore.TestShared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clerk.AspNetCore.Tests.Delivery;

/// <summary>The default outbox keeps every promise of <see cref="IClerkOutbox"/>, as the EF Core outbox does.</summary>
public sealed class InMemoryOutboxContractTests : OutboxContractTests
{
    protected override ValueTask<IClerkOutbox> CreateOutboxAsync() =>
        ValueTask.FromResult<IClerkOutbox>(new InMemoryClerkOutbox(Time, new OutboxSignal(), NullLogger<InMemoryClerkOutbox>.Instance));
}
