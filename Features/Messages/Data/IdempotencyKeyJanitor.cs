using Microsoft.EntityFrameworkCore;
using MySecureApi.Infrastructure.Data;

namespace MySecureApi.Features.Messages.Data;

/// <summary>Deletes idempotency keys older than 24 h, hourly, so their table holds at most a day of writes.</summary>
internal sealed class IdempotencyKeyJanitor(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyKeyJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var cutoff = time.GetUtcNow().UtcDateTime - MessageWriter.KeyLifetime;
                var removed = await scope.ServiceProvider.GetRequiredService<MessagesDbContext>()
                    .IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0)
                    logger.LogInformation("Removed {Count} idempotency key(s) older than 24 h", removed);
            }
            catch (Exception e) when (DatabaseFailures.IsUnavailable(e))
            {
                logger.LogWarning("Idempotency keys could not be cleaned up ({Cause}); trying again in an hour", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
