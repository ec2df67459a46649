using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// The claim that lets one run of a request's job act at a time (<see cref="RequestClaims"/>), on the real database:
/// the race between two runs, a dead holder, and a holder that lost its claim.
/// </summary>
public sealed class RequestClaimTests : IDisposable
{
    // A one-second lease, renewed every 200 ms: the waits below stay short.
    private readonly PortalFactory _portal = new() { Settings = { ["Jobs:InvisibilityTimeout"] = "00:00:01" } };

    public void Dispose() => _portal.Dispose();

    private RequestClaims Claims => _portal.Services.GetRequiredService<RequestClaims>();

    [Fact]
    public async Task Of_two_runs_claiming_one_request_at_once_one_holds_it_and_the_other_leaves_it()
    {
        var requestId = await FileRequestAsync();

        var claims = await Task.WhenAll(Claims.TakeAsync(requestId, CancellationToken.None), Claims.TakeAsync(requestId, CancellationToken.None));

        var holder = Assert.Single(claims, c => c is not null)!;
        // The holder renews while it works: its claim outlives the lease it started with.
        var firstLease = await ClaimedUntilAsync(requestId);
        await Wait.UntilAsync(async () => DateTimeOffset.UtcNow > firstLease && await ClaimedUntilAsync(requestId) > DateTimeOffset.UtcNow,
            "the first lease to run out with the claim still held");
        Assert.False(holder.Lost.IsCancellationRequested);
        Assert.Null(await Claims.TakeAsync(requestId, CancellationToken.None));

        await holder.DisposeAsync();
        Assert.Null(await ClaimedByAsync(requestId));
        await using var next = await Claims.TakeAsync(requestId, CancellationToken.None);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_claim_nobody_renews_is_taken_over_once_it_runs_out()
    {
        var requestId = await FileRequestAsync();
        var dead = Guid.NewGuid();
        await SetClaimAsync(requestId, dead, DateTimeOffset.UtcNow.AddSeconds(1));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var claim = await Claims.TakeAsync(requestId, CancellationToken.None);

        Assert.NotNull(claim);
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(0.5), $"taken after {watch.Elapsed}, before the dead claim ran out");
        Assert.NotEqual(dead, await ClaimedByAsync(requestId));
    }

    [Fact]
    public async Task A_run_whose_claim_was_taken_over_is_told_to_stop()
    {
        var requestId = await FileRequestAsync();
        await using var claim = await Claims.TakeAsync(requestId, CancellationToken.None);
        Assert.NotNull(claim);

        // As if this run had been silent past its lease and another had claimed the request.
        await SetClaimAsync(requestId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(1));

        await Wait.UntilAsync(() => claim.Lost.IsCancellationRequested, "the run to learn it lost its claim", TimeSpan.FromSeconds(5));
    }

    private Task<Guid> FileRequestAsync() => _portal.WithDbAsync(async db =>
    {
        // Requests have no foreign keys (they outlive their subject), so any applicant id will do here. A question has
        // no job: an erasure would be handed to the real erasure job by the reconcile run at start, which then holds the claim.
        var request = DataSubjectRequest.File(RequestType.Question, Guid.NewGuid(), DateTimeOffset.UtcNow, details: "claim test");
        db.Requests.Add(request);
        await db.SaveChangesAsync();
        return request.Id;
    });

    private Task<Guid?> ClaimedByAsync(Guid requestId) =>
        _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ClaimedBy).SingleAsync());

    private async Task<DateTimeOffset> ClaimedUntilAsync(Guid requestId) =>
        await _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ClaimedUntil).SingleAsync())
        ?? throw new InvalidOperationException("The request is not claimed.");

    private Task<int> SetClaimAsync(Guid requestId, Guid by, DateTimeOffset until) =>
        _portal.WithDbAsync<int>(db => db.Requests.Where(r => r.Id == requestId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimedBy, by).SetProperty(r => r.ClaimedUntil, until)));
}
