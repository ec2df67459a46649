using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>What the enforcement tests share: a portal on a fake clock whose schedule never fires by itself, and short cuts.</summary>
internal static class EnforcementKit
{
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A portal on <paramref name="clock"/>. The recurring run is set never to fire (31 February): each test runs
    /// <see cref="RetentionJob"/> itself, as Hangfire would, when it wants to.
    /// </summary>
    public static PortalFactory PortalOn(FakeTimeProvider clock, Action<IServiceCollection>? more = null,
        IDictionary<string, string>? settings = null)
    {
        var portal = new PortalFactory { TestServices = services => { services.AddSingleton<TimeProvider>(clock); more?.Invoke(services); } };
        portal.Settings["Jobs:RetentionCron"] = "0 0 31 2 *";
        portal.Settings["Retention:BatchSize"] = "2";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            portal.Settings[key] = value;
        return portal;
    }

    /// <summary>One run, in its own scope, as Hangfire calls it.</summary>
    public static async Task RunRetentionAsync(this PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
    }

    /// <summary>Sets the stored due date directly (the policies compute it in the app; here the date is the point).</summary>
    public static Task DueAsync(this PortalFactory portal, Guid applicationId, DateTimeOffset dueAt,
        RetentionOutcome outcome = RetentionOutcome.Rejected) =>
        portal.WithDbAsync(async db =>
        {
            var application = await db.Applications.SingleAsync(a => a.Id == applicationId);
            application.SetRetention(dueAt, outcome, onLegalHold: false);
            await db.SaveChangesAsync();
        });

    public static Task<bool> ExistsAsync(this PortalFactory portal, Guid applicationId) =>
        portal.WithDbAsync(db => db.Applications.AnyAsync(a => a.Id == applicationId));

    public static Task<List<string>> BlobNamesAsync(this PortalFactory portal, Guid applicationId) =>
        portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId).Select(d => d.BlobName).ToListAsync());

    public static bool BlobExists(this PortalFactory portal, string blobName) =>
        File.Exists(Path.Combine(portal.BlobsFolder, blobName.Replace('/', Path.DirectorySeparatorChar)));

    public static Task<int> StatisticAsync(this PortalFactory portal, Guid postingId, RetentionOutcome outcome) =>
        portal.WithDbAsync(db => db.PostingStatistics.Where(s => s.JobPostingId == postingId && s.Outcome == outcome)
            .Select(s => s.Count).SingleOrDefaultAsync());

    public static Task<List<RetentionRun>> RunsAsync(this PortalFactory portal) =>
        portal.WithDbAsync(db => db.RetentionRuns.AsNoTracking().OrderBy(r => r.StartedAt).ThenBy(r => r.FinishedAt).ToListAsync());

    public static Task<Guid> ApplicantOfAsync(this PortalFactory portal, Guid applicationId) =>
        portal.WithDbAsync(db => db.Applications.Where(a => a.Id == applicationId).Select(a => a.ApplicantId).SingleAsync());

    public static Task<Guid> HoldAsync(this PortalFactory portal, DateTimeOffset now, Guid? applicationId = null, Guid? applicantId = null,
        DateTimeOffset? endsAt = null) =>
        portal.WithDbAsync(async db =>
        {
            var hr = await db.Users.Where(u => u.Email == PortalFactory.HrEmail).Select(u => u.Id).SingleAsync();
            var hold = applicationId is { } application
                ? LegalHold.OnApplication(application, "Pending employment tribunal claim.", hr, now, endsAt)
                : LegalHold.OnApplicant(applicantId!.Value, "Pending employment tribunal claim.", hr, now, endsAt);
            db.LegalHolds.Add(hold);
            await db.SaveChangesAsync();
            return hold.Id;
        });

    public static Task LiftAsync(this PortalFactory portal, Guid holdId, DateTimeOffset now) =>
        portal.WithDbAsync(async db =>
        {
            var hold = await db.LegalHolds.SingleAsync(h => h.Id == holdId);
            hold.Lift(Guid.NewGuid(), now);
            await db.SaveChangesAsync();
        });
}

/// <summary>The app's blob store, which can be told to fail after a number of deletes: a stand-in for a run killed half-way.</summary>
internal sealed class FailingBlobStore
{
    private int _deletesLeft = int.MaxValue;

    public int Deletes;

    public void FailAfter(int deletes) => Interlocked.Exchange(ref _deletesLeft, deletes);

    public void Heal() => Interlocked.Exchange(ref _deletesLeft, int.MaxValue);

    public void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IBlobStore));
        services.AddSingleton<IBlobStore>(sp => new Store((IBlobStore)real.ImplementationFactory!(sp), this));
    }

    private sealed class Store(IBlobStore inner, FailingBlobStore owner) : IBlobStore
    {
        public Task<StoredBlob> PutAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
            inner.PutAsync(name, content, cancellationToken);

        public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(name, cancellationToken);

        public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) => inner.ExistsAsync(name, cancellationToken);

        public IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
            inner.ListAsync(prefix, cancellationToken);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref owner._deletesLeft) < 0)
                throw new IOException("Simulated crash: the process died while deleting blobs.");
            Interlocked.Increment(ref owner.Deletes);
            return inner.DeleteAsync(name, cancellationToken);
        }
    }
}
