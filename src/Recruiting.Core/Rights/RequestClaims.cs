using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recruiting.Core.Data;

namespace Recruiting.Core.Rights;

/// <summary>
/// How long a claim on a request lasts unless its run renews it. The host sets it to Hangfire's invisibility timeout,
/// the time after which another instance takes over a job whose instance stopped answering: the job taken over then
/// finds the dead run's claim run out, or about to.
/// </summary>
public sealed record RequestClaimLease(TimeSpan Duration);

/// <summary>
/// Lets one run of a request's job act at a time, across every instance. Hangfire alone does not ensure it: the
/// reconcile job re-hands a request it believes lost, and two jobs for one request can be fetched by two instances at
/// once. A run claims the request row with a conditional UPDATE (atomic on every provider: of two runs, one matches),
/// renews the claim while it works, and gives it back when it ends.
/// </summary>
public sealed class RequestClaims(IServiceScopeFactory scopes, RequestClaimLease lease, TimeProvider time, ILogger<RequestClaims> logger)
{
    private TimeSpan Poll => TimeSpan.FromTicks(Math.Min(lease.Duration.Ticks / 10, TimeSpan.TicksPerSecond));

    /// <summary>
    /// The claim on the request, or null when there is nothing for this run to do: no such request, or another run
    /// holds it and is alive. A claim nobody renews is waited out (at most one lease: its holder died, and this run,
    /// often that holder's own job handed over by Hangfire, takes over). A claim that is renewed or changes hands while
    /// this run watches belongs to a live run; its job, retried by Hangfire if it fails, owns the work, so this run leaves.
    /// </summary>
    public async Task<RequestClaim?> TakeAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        (Guid? By, DateTimeOffset? Until)? seen = null;
        while (true)
        {
            var now = time.GetUtcNow();
            if (await UpdateAsync(requestId, r => r.ClaimedUntil == null || r.ClaimedUntil < now, token, now + lease.Duration,
                    cancellationToken) == 1)
                return new RequestClaim(this, requestId, token, lease.Duration, time, logger);

            var holder = await ReadAsync(requestId, cancellationToken);
            if (holder is null)
                return null;
            if (seen is null)
            {
                seen = holder;
                logger.LogInformation("Request {RequestId} is claimed by another run until {ClaimedUntil}; waiting to see whether it is alive",
                    requestId, holder.Value.Until);
            }
            else if (holder != seen)
            {
                logger.LogInformation("Request {RequestId} is being carried out by another run; this run leaves it to that one", requestId);
                return null;
            }
            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    /// <summary>
    /// Claims a killed process left behind. Only for the embedded profile, where this process is the only one: its
    /// in-memory job storage lost their jobs, and the reconcile job hands their requests over at start.
    /// </summary>
    public static Task<int> VoidAllAsync(RecruitingDbContext db, CancellationToken cancellationToken) =>
        db.Requests.Where(r => r.ClaimedBy != null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedBy, (Guid?)null).SetProperty(r => r.ClaimedUntil, (DateTimeOffset?)null),
                cancellationToken);

    /// <summary>In a scope of its own: the job's DbContext is busy with the job, and renewals run beside it.</summary>
    internal async Task<int> UpdateAsync(Guid requestId, Expression<Func<DataSubjectRequest, bool>> condition, Guid? by,
        DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        return await db.Requests.Where(r => r.Id == requestId).Where(condition)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedBy, by).SetProperty(r => r.ClaimedUntil, until), cancellationToken);
    }

    private async Task<(Guid? By, DateTimeOffset? Until)?> ReadAsync(Guid requestId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var row = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.ClaimedBy, r.ClaimedUntil }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.ClaimedBy, row.ClaimedUntil);
    }
}

/// <summary>
/// A run's claim on a request: renewed in the background five times per lease; <see cref="Lost"/> is cancelled if
/// another run took it over (this run was silent too long) or renewals failed for a whole lease, so the work stops
/// rather than act twice. Disposing gives the claim back.
/// </summary>
public sealed class RequestClaim : IAsyncDisposable
{
    private readonly RequestClaims _owner;
    private readonly Guid _requestId;
    private readonly Guid _token;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    internal RequestClaim(RequestClaims owner, Guid requestId, Guid token, TimeSpan lease, TimeProvider time, ILogger logger)
    {
        _owner = owner;
        _requestId = requestId;
        _token = token;
        _lease = lease;
        _time = time;
        _logger = logger;
        _renewing = RenewAsync();
    }

    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        try
        {
            await _owner.UpdateAsync(_requestId, r => r.ClaimedBy == _token, null, null, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The claim runs out by itself; the next run waits at most one lease.
            _logger.LogWarning(e, "Could not give back the claim on request {RequestId}", _requestId);
        }
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync()
    {
        var renewedAt = _time.GetUtcNow();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_lease / 5, _time, _stop.Token);
                var now = _time.GetUtcNow();
                if (await _owner.UpdateAsync(_requestId, r => r.ClaimedBy == _token, _token, now + _lease, _stop.Token) == 0)
                {
                    _logger.LogWarning("The claim on request {RequestId} was taken over by another run; this run stops", _requestId);
                    await _lost.CancelAsync();
                    return;
                }
                renewedAt = now;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Could not renew the claim on request {RequestId}", _requestId);
                if (_time.GetUtcNow() - renewedAt >= _lease)
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
    }
}
