using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Core.Storage;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Rights;

namespace Recruiting.IntegrationTests.Retention;

/// <summary>Housekeeping in the retention run (expired exports), the orphan-blob sweep, missing blobs, IP addresses.</summary>
public sealed class HousekeepingTests : IAsyncLifetime
{
    private const string ClientIp = "203.0.113.77";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public HousekeepingTests() => _portal = DeskTestKit.PortalOn(_clock, services =>
        // Every request arrives from a client address, as behind a real network, and says so in X-Forwarded-For too.
        services.AddSingleton<IStartupFilter>(new ClientAddressFilter(IPAddress.Parse(ClientIp))));

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Blobs_no_row_names_are_left_to_the_sweep_which_deletes_them_once_a_day_old_while_younger_and_referenced_ones_stay_and_a_dry_run_deletes_nothing()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "kept@example.test");
        var cv = await _portal.WithDbAsync(db => db.Documents.Where(d => d.ApplicationId == applicationId).Select(d => d.BlobName).SingleAsync());
        var oldOrphanDocument = await PutAsync(BlobNames.NewDocument(), TimeSpan.FromHours(25));
        var youngOrphanDocument = await PutAsync(BlobNames.NewDocument(), TimeSpan.FromHours(23));
        var oldOrphanExport = await PutAsync(BlobNames.NewExport(), TimeSpan.FromDays(3));
        var liveExport = await ExportAsync(applicationId, expiresAt: _clock.GetUtcNow().AddDays(5), age: TimeSpan.FromDays(2));
        var expiredExport = await ExportAsync(applicationId, expiresAt: _clock.GetUtcNow().AddMinutes(-1), age: TimeSpan.FromDays(7));
        Backdate(cv, TimeSpan.FromDays(30));
        // The hidden temp file of an upload a crash cut short is not a blob: the start-up and erasure scrubbers own it.
        var temp = Path.Combine(_portal.BlobsFolder, "documents", $".{Guid.NewGuid():N}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temp, [1]);
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddDays(-3));
        var everything = _portal.BlobFiles().Order().ToList();

        var dry = await HousekeepingAsync(dryRun: true);
        Assert.Equal(1, dry["expiredExports"]);
        Assert.False(dry.ContainsKey("orphanBlobs"));
        Assert.Equal(everything, _portal.BlobFiles().Order());
        Assert.Equal(expiredExport.Blob, (await _portal.RequestAsync(expiredExport.RequestId)).ExportBlobName);
        Assert.False(await _portal.WithDbAsync(db => db.AuditEvents.AnyAsync(a => a.Action == AuditAction.ExportDeleted)));

        // The retention run's housekeeping no longer lists the store: only the expired export's blob goes.
        var run = await HousekeepingAsync(dryRun: false);
        Assert.Equal((1, 0), (run["expiredExports"], run["holdsEnded"]));
        Assert.False(run.ContainsKey("orphanBlobs"));
        Assert.Equal(everything.Where(f => f != FileOf(expiredExport.Blob)), _portal.BlobFiles().Order());
        Assert.Null((await _portal.RequestAsync(expiredExport.RequestId)).ExportBlobName);
        Assert.Equal(liveExport.Blob, (await _portal.RequestAsync(liveExport.RequestId)).ExportBlobName);
        Assert.Equal(expiredExport.RequestId, await _portal.WithDbAsync(db => db.AuditEvents
            .Where(a => a.Action == AuditAction.ExportDeleted).Select(a => a.RequestId).SingleAsync()));

        var dryPass = await SweepAsync(OrphanSweepJob.Parts, dryRun: true);
        Assert.Equal((0, 2), (dryPass.NextPart, dryPass.LastPassOrphans));
        Assert.Equal(everything.Where(f => f != FileOf(expiredExport.Blob)), _portal.BlobFiles().Order());

        var pass = await SweepAsync(OrphanSweepJob.Parts, dryRun: false);
        Assert.Equal((0, 2), (pass.NextPart, pass.LastPassOrphans));
        Assert.Equal(new[] { cv, youngOrphanDocument, liveExport.Blob }.Select(FileOf).Append(temp).Order(), _portal.BlobFiles().Order());
        Assert.DoesNotContain(FileOf(oldOrphanDocument), _portal.BlobFiles());
        Assert.DoesNotContain(FileOf(oldOrphanExport), _portal.BlobFiles());

        // Sweep again: nothing left to do. A day later the young orphan has come of age.
        Assert.Equal(0, (await SweepAsync(OrphanSweepJob.Parts, dryRun: false)).LastPassOrphans);
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await SweepAsync(OrphanSweepJob.Parts, dryRun: false)).LastPassOrphans);
        Assert.DoesNotContain(FileOf(youngOrphanDocument), _portal.BlobFiles());
        Assert.Contains(FileOf(cv), _portal.BlobFiles());
        Assert.Contains(FileOf(liveExport.Blob), _portal.BlobFiles());
    }

    [Fact]
    public async Task A_sweep_stopped_midway_resumes_at_the_next_part_instead_of_starting_over()
    {
        var first = await PutAsync("documents/00" + Guid.NewGuid().ToString("N")[2..], TimeSpan.FromDays(2));
        var last = await PutAsync("exports/ff" + Guid.NewGuid().ToString("N")[2..], TimeSpan.FromDays(2));

        // Stopped after half the parts: what it swept is recorded, the rest is untouched.
        var stopped = await SweepAsync(OrphanSweepJob.Parts / 2, dryRun: false);
        Assert.Equal((OrphanSweepJob.Parts / 2, 1, (int?)null), (stopped.NextPart, stopped.Orphans, stopped.LastPassOrphans));
        Assert.DoesNotContain(FileOf(first), _portal.BlobFiles());
        Assert.Contains(FileOf(last), _portal.BlobFiles());

        // An orphan appears in a part already swept: the next run goes on from the middle, so it waits for the next pass.
        var late = await PutAsync("documents/01" + Guid.NewGuid().ToString("N")[2..], TimeSpan.FromDays(2));
        var finished = await SweepAsync(OrphanSweepJob.Parts, dryRun: false);
        Assert.Equal((0, 0, 2), (finished.NextPart, finished.Orphans, finished.LastPassOrphans));
        Assert.DoesNotContain(FileOf(last), _portal.BlobFiles());
        Assert.Contains(FileOf(late), _portal.BlobFiles());

        Assert.Equal(1, (await SweepAsync(OrphanSweepJob.Parts, dryRun: false)).LastPassOrphans);
        Assert.DoesNotContain(FileOf(late), _portal.BlobFiles());

        // HR's runs page says where the sweep stands; the retention runs' counts no longer carry it.
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        var page = await hr.GetPageAsync("/manage/retention/runs");
        Assert.Contains(OrphanSweepJob.RecurringJobId, page.QuerySelector(".orphan-sweep")!.TextContent);
        Assert.Matches(@"found 1\.\s+The current pass has checked 0 of 256 parts and found 0 so far",
            page.QuerySelector(".orphan-sweep-state")!.TextContent);
    }

    [Fact]
    public async Task Kept_copies_of_sent_mail_expire_after_seven_days_whatever_they_are_about_and_a_dry_run_deletes_none()
    {
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "mailed@example.test");
        var received = await _portal.WithDbAsync(db => db.Notifications
            .Where(n => n.ApplicationId == applicationId && n.Kind == Recruiting.Core.Notifications.NotificationKind.ApplicationReceived)
            .Select(n => n.Id).SingleAsync());
        var old = Path.Combine(_portal.MailFolder, $"{received:N}.eml");
        await Wait.UntilAsync(() => File.Exists(old), "the mail confirming the application");
        File.SetLastWriteTimeUtc(old, (_clock.GetUtcNow() - Recruiting.Core.Notifications.ISentMailCopies.KeptFor - TimeSpan.FromMinutes(1)).UtcDateTime);
        var young = Path.Combine(_portal.MailFolder, $"{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(young, "To: young@example.test\r\n\r\nWritten just now.");

        Assert.Equal(1, (await HousekeepingAsync(dryRun: true))["expiredMail"]);
        Assert.True(File.Exists(old));
        Assert.Equal(1, (await HousekeepingAsync(dryRun: false))["expiredMail"]);
        Assert.False(File.Exists(old), "a mail older than seven days is still kept");
        Assert.True(File.Exists(young));

        _clock.Advance(Recruiting.Core.Notifications.ISentMailCopies.KeptFor + TimeSpan.FromMinutes(1));
        await HousekeepingAsync(dryRun: false);
        Assert.Empty(_portal.MailFiles());
    }

    [Fact]
    public async Task A_document_whose_blob_is_missing_is_listed_for_HR_with_ids_kind_and_upload_time_and_is_not_deleted()
    {
        var (_, missingApplication) = await _portal.ApplyAsync(_postingId, "lost@example.test");
        var (_, fineApplication) = await _portal.ApplyAsync(_postingId, "fine@example.test");
        var lost = await _portal.WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.ApplicationId == missingApplication));
        var fine = await _portal.WithDbAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.ApplicationId == fineApplication));
        File.Delete(FileOf(lost.BlobName));
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var page = await hr.GetPageAsync("/manage/retention/missing-documents");

        var row = Assert.Single(page.QuerySelectorAll(".missing-documents tbody tr"));
        Assert.Equal(lost.Id.ToString(), row.GetAttribute("data-document-id"));
        Assert.Contains(missingApplication.ToString(), row.TextContent);
        Assert.Contains("CV", row.TextContent);
        Assert.Contains(lost.UploadedAt.ToString("yyyy-MM-dd HH:mm"), row.TextContent);
        Assert.Null(page.QuerySelector($"tr[data-document-id='{fine.Id}']"));
        Assert.Contains("Checked 2 documents", page.QuerySelector(".check-extent")!.TextContent);
        Assert.Null(page.QuerySelector(".check-further"));
        Assert.DoesNotContain(lost.OriginalFileName, page.Body!.TextContent);

        // Reported, never deleted by housekeeping.
        await HousekeepingAsync(dryRun: false);
        Assert.True(await _portal.WithDbAsync(db => db.Documents.AnyAsync(d => d.Id == lost.Id)));
        var again = await hr.GetPageAsync("/manage/retention/missing-documents");
        Assert.Single(again.QuerySelectorAll(".missing-documents tbody tr"));
    }

    [Fact]
    public async Task The_report_checks_a_large_store_part_by_part_and_finds_what_is_missing_in_each()
    {
        // Rows without blobs in three shards: the check stops after RowsPerCheck rows and says where to go on.
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "many@example.test");
        await _portal.WithDbAsync(async db =>
        {
            var sha256 = new string('0', 64);
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var (shard, count) in new[] { ("10", MissingDocuments.RowsPerCheck), ("20", 1), ("f0", 1) })
            {
                if (PortalFactory.OnPostgreSql)
                {
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO "Documents" ("Id", "ApplicationId", "Kind", "BlobName", "OriginalFileName", "ContentType", "Size", "Sha256", "UploadedAt")
                        SELECT gen_random_uuid(), {applicationId}, 'Other', left('documents/' || {shard} || md5(random()::text), 42),
                               'x.pdf', 'application/pdf', 1, {sha256}, {_clock.GetUtcNow()}
                        FROM generate_series(1, {count})
                        """);
                    continue;
                }
                // Rows are written as EF writes them on SQLite: Guids as upper-case text, instants through the binary converter.
                var uploadedAt = (long)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter()
                    .ConvertToProvider(_clock.GetUtcNow())!;
                var application = applicationId.ToString().ToUpperInvariant();
                for (var i = 0; i < count; i++)
                {
                    var id = Guid.NewGuid().ToString().ToUpperInvariant();
                    var blob = $"documents/{shard}{Guid.NewGuid():N}"[..42];
                    await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO Documents (Id, ApplicationId, Kind, BlobName, OriginalFileName, ContentType, Size, Sha256, UploadedAt)
                        VALUES ({id}, {application}, 'Other', {blob}, 'x.pdf', 'application/pdf', 1, {sha256}, {uploadedAt})
                        """);
                }
            }
            await transaction.CommitAsync();
        });
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);

        var first = await hr.GetPageAsync("/manage/retention/missing-documents");
        Assert.Equal(MissingDocuments.RowsPerCheck, first.QuerySelectorAll(".missing-documents tbody tr").Length);
        var next = first.QuerySelector(".check-further")!.GetAttribute("href")!;
        Assert.Equal("/manage/retention/missing-documents?from=17", next);

        var rest = await hr.GetPageAsync(next);
        Assert.Equal(2, rest.QuerySelectorAll(".missing-documents tbody tr").Length);
        Assert.Null(rest.QuerySelector(".check-further"));
    }

    [Fact]
    public async Task No_IP_address_is_stored_no_column_is_meant_for_one_and_requests_from_an_address_leave_it_nowhere()
    {
        // By name: no property of any entity (Identity's included) is an IP address or client address column.
        var model = _portal.Services.CreateScope().ServiceProvider.GetRequiredService<RecruitingDbContext>().Model;
        var suspicious = model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => $"{e.ClrType.Name}.{p.Name}"))
            .Where(name => Regex.IsMatch(name, @"(?i)(\bip|ip(v[46])?address|remote|client(address|host)|forwarded|useragent|host)")
                           || Regex.IsMatch(name, @"Ip(?=[A-Z]|$)|Address"))
            .ToList();
        Assert.Equal(["Applicant.Address"], suspicious); // the applicant's postal address, marked personal data

        // By behaviour: sign-in attempts (failed and good), an application and staff pages from a client address.
        var visitor = new PortalBrowser(_portal.CreateBrowserClient());
        visitor.Client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientIp);
        HttpAssert.Status(HttpStatusCode.OK, await visitor.SubmitAsync("/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = PortalFactory.HrEmail, ["Password"] = "wrong password, counted" }));
        var (_, applicationId) = await _portal.ApplyAsync(_postingId, "ip@example.test");
        var hr = await _portal.SignedInAsync(PortalFactory.HrEmail, _portal.HrPassword);
        hr.Client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientIp);
        await hr.GetPageAsync($"/candidates/{applicationId}");
        await hr.GetPageAsync("/manage/audit");

        var found = new Traces().Text("client IP address", ClientIp).InFolder(_portal.DataDirectory, "mail")
            .Concat(new Traces().Text("client IP address", ClientIp).InText("logs", _portal.Logs.Entries.Select(e => $"{e.Message} {e.Exception}")))
            .ToList();
        Assert.True(found.Count == 0, "Found: " + string.Join(", ", found));
    }

    private async Task<string> PutAsync(string name, TimeSpan age)
    {
        await _portal.Services.GetRequiredService<IBlobStore>().PutAsync(name, new MemoryStream([1, 2, 3]));
        Backdate(name, age);
        return name;
    }

    /// <summary>A completed access request with its ZIP blob, written <paramref name="age"/> ago.</summary>
    private async Task<(Guid RequestId, string Blob)> ExportAsync(Guid applicationId, DateTimeOffset expiresAt, TimeSpan age)
    {
        var blob = await PutAsync(BlobNames.NewExport(), age);
        var request = await _portal.WithDbAsync(async db =>
        {
            var applicantId = await db.Applications.Where(a => a.Id == applicationId).Select(a => a.ApplicantId).SingleAsync();
            var now = _clock.GetUtcNow();
            var r = DataSubjectRequest.File(RequestType.Access, applicantId, now - age);
            r.Start(now - age);
            r.AttachExport(blob, 3, expiresAt);
            r.Complete(now - age);
            db.Requests.Add(r);
            await db.SaveChangesAsync();
            return r.Id;
        });
        return (request, blob);
    }

    private void Backdate(string blobName, TimeSpan age) => File.SetLastWriteTimeUtc(FileOf(blobName), (_clock.GetUtcNow() - age).UtcDateTime);

    private string FileOf(string blobName) => Path.Combine(_portal.BlobsFolder, blobName);

    private async Task<IReadOnlyDictionary<string, int>> HousekeepingAsync(bool dryRun)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Housekeeping>().RunAsync(dryRun, CancellationToken.None);
    }

    /// <summary>One sweep run through the job as Hangfire resolves it, with Retention:DryRun as given.</summary>
    private async Task<OrphanSweep> SweepAsync(int maxParts, bool dryRun)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var job = dryRun
            ? ActivatorUtilities.CreateInstance<OrphanSweepJob>(services, Options.Create(new RetentionOptions { DryRun = true }))
            : services.GetRequiredService<OrphanSweepJob>();
        return await job.SweepAsync(maxParts, CancellationToken.None);
    }

    private sealed class ClientAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
