using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Retention;

/// <summary>
/// The recurring sweep (constant id <see cref="RecurringJobId"/>, daily) that deletes blobs no row names: under
/// documents/ not named by a document, under exports/ not named by a request, last written more than
/// <see cref="OrphanMinimumAge"/> ago (younger ones may be uploads whose row is not committed yet). It is kept out of
/// the retention run because it must list the whole store, which for a large portal costs far more than a run with
/// nothing due. Blob names are a prefix and 32 hex digits, so the store is worked through in <see cref="Parts"/> parts
/// by the first two digits; <see cref="OrphanSweep"/> records each finished part, so a stopped sweep resumes at the
/// next part and every run that is not stopped finishes the pass. With Retention:DryRun it counts and deletes nothing.
/// </summary>
public sealed class OrphanSweepJob(RecruitingDbContext db, IBlobStore blobs, IExportFiles exports, IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<OrphanSweepJob> logger)
{
    public const string RecurringJobId = "orphan-sweep";
    public const int Parts = 256;

    /// <summary>How old an unreferenced blob must be before it is deleted.</summary>
    public static readonly TimeSpan OrphanMinimumAge = TimeSpan.FromDays(1);

    private const int Batch = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(Parts, cancellationToken);

    /// <summary>Works through at most <paramref name="maxParts"/> parts from where the last sweep stopped; returns the state.</summary>
    public async Task<OrphanSweep> SweepAsync(int maxParts, CancellationToken cancellationToken)
    {
        var dryRun = options.Value.DryRun;
        var state = await db.Set<OrphanSweep>().SingleOrDefaultAsync(s => s.Id == OrphanSweep.SingletonId, cancellationToken);
        if (state is null)
        {
            state = OrphanSweep.Start(time.GetUtcNow());
            db.Add(state);
        }
        var resumedAt = state.NextPart;
        for (var done = 0; done < maxParts && state.NextPart < Parts; done++)
        {
            var part = state.NextPart;
            var writtenBefore = time.GetUtcNow() - OrphanMinimumAge;
            var orphans = await SweepAsync($"documents/{part:x2}", writtenBefore, dryRun, cancellationToken)
                + await SweepAsync($"exports/{part:x2}", writtenBefore, dryRun, cancellationToken);
            state.Done(part, orphans, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        if (state.NextPart < Parts)
        {
            logger.LogInformation("Orphan sweep{DryRun} stopped before part {Part} (resumed at {From}): orphans={Orphans}",
                dryRun ? " (dry run)" : "", state.NextPart, resumedAt, state.Orphans);
            return state;
        }
        state.FinishPass(time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Orphan sweep{DryRun} finished a pass (resumed at part {From}): orphans={Orphans}",
            dryRun ? " (dry run)" : "", resumedAt, state.LastPassOrphans);
        return state;
    }

    /// <summary>Lists one part once, and asks the database which names of each batch of old blobs it knows.</summary>
    private async Task<int> SweepAsync(string prefix, DateTimeOffset writtenBefore, bool dryRun, CancellationToken cancellationToken)
    {
        var orphans = 0;
        var batch = new List<string>(Batch);
        await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
        {
            if (blob.LastModified >= writtenBefore)
                continue;
            batch.Add(blob.Name);
            if (batch.Count == Batch)
            {
                orphans += await DeleteUnreferencedAsync(prefix, batch, dryRun, cancellationToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            orphans += await DeleteUnreferencedAsync(prefix, batch, dryRun, cancellationToken);
        return orphans;
    }

    private async Task<int> DeleteUnreferencedAsync(string prefix, List<string> names, bool dryRun, CancellationToken cancellationToken)
    {
        var referenced = prefix.StartsWith("documents/", StringComparison.Ordinal)
            ? await db.Documents.Where(d => names.Contains(d.BlobName)).Select(d => d.BlobName).ToListAsync(cancellationToken)
            : await exports.NamedAsync(names, cancellationToken);
        var unreferenced = names.Except(referenced, StringComparer.Ordinal).ToList();
        if (!dryRun)
            foreach (var name in unreferenced)
                await blobs.DeleteAsync(name, cancellationToken);
        return unreferenced.Count;
    }
}
