using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.EntityFrameworkCore;

internal sealed class ClerkContextAccess<TContext>
    where TContext : DbContext, IClerkDbContext;

internal sealed class EntityFrameworkCookielessSaltStore<TContext> : IClerkCookielessSaltStore
    where TContext : DbContext, IClerkDbContext
{
    public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken) => throw new NotImplementedException();
}

internal sealed class EntityFrameworkSaleLedger<TContext> : IClerkSaleLedger
    where TContext : DbContext, IClerkDbContext
{
    public ValueTask<bool> TryClaimAsync(string orderId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask ReleaseAsync(string orderId, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

internal sealed class EntityFrameworkOutbox<TContext> : IClerkOutbox
    where TContext : DbContext, IClerkDbContext
{
    public ValueTask AddAsync(ClerkOutboxMessage message, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask<IReadOnlyList<ClerkOutboxMessage>> LeaseAsync(string store, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask MarkSentAsync(IReadOnlyCollection<ClerkOutboxMessage> messages, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask RescheduleAsync(ClerkOutboxMessage message, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask MarkFailedAsync(ClerkOutboxMessage message, string error, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask<int> RedriveFailedAsync(string store, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public ValueTask<ClerkOutboxStatus> GetStatusAsync(string store, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

internal sealed class ClerkCleanup<TContext>
    where TContext : DbContext, IClerkDbContext;

internal sealed class ClerkCleanupService<TContext> : BackgroundService
    where TContext : DbContext, IClerkDbContext
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
