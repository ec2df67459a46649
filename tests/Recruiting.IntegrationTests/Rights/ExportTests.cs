using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Applications;
using Recruiting.Core.Audit;
using Recruiting.Core.Notifications;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.IntegrationTests.Portal;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>"Download my data" (Art. 15, 20), from the access request to the expired ZIP.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private const string Authority = "Datatilsynet <the Norwegian DPA>";
    private const string CvName = "Ada's CV (final).pdf";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private Guid _postingId;

    public ExportTests()
    {
        _portal = new PortalFactory { TestServices = services => services.AddSingleton<TimeProvider>(_clock) };
        _portal.Settings["Privacy:SupervisoryAuthority"] = Authority;
        _portal.Settings["Privacy:ExportRetentionDays"] = "7";
    }

    public async Task InitializeAsync() => _postingId = await _portal.CreatePostingAsync("Data engineer");

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_jobseeker_downloads_a_zip_that_holds_what_they_entered_and_their_documents_byte_for_byte()
    {
        var cv = SampleFiles.Pdf(20_000);
        var browser = await ApplyAsync("ada@example.test", cv);

        var requestId = await FileAccessRequestAsync("ada@example.test");
        await WaitForExportAsync(requestId);

        var response = await browser.Client.GetAsync($"/my/data/exports/{requestId}");
        HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"my-data-{_clock.GetUtcNow():yyyy-MM-dd}.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        using var data = JsonDocument.Parse(Read(zip, "data.json"));
        var root = data.RootElement;
        Assert.Equal(ExportData.CurrentFormatVersion, root.GetProperty("formatVersion").GetInt32());
        var profile = root.GetProperty("profile");
        Assert.Equal("Ada Applicant", profile.GetProperty("fullName").GetString());
        Assert.Equal("ada@example.test", profile.GetProperty("email").GetString());
        Assert.Equal("+47 400 00 000", profile.GetProperty("phone").GetString());
        Assert.Equal("Storgata 1, Oslo", profile.GetProperty("address").GetString());
        Assert.True(profile.GetProperty("account").GetProperty("emailConfirmed").GetBoolean());
        Assert.Equal("ada@example.test", profile.GetProperty("account").GetProperty("email").GetString());

        var application = Assert.Single(root.GetProperty("applications").EnumerateArray().ToList());
        Assert.Equal("Data engineer", application.GetProperty("postingTitle").GetString());
        Assert.Equal("Received", application.GetProperty("status").GetString());
        Assert.Equal("I would love to build this with you.", application.GetProperty("coverLetter").GetString());
        Assert.Equal("Agreement", application.GetProperty("legalBasis").GetString());
        Assert.False(application.GetProperty("restricted").GetBoolean());
        Assert.Contains("6 months after that decision", application.GetProperty("retentionRule").GetString());

        var document = Assert.Single(application.GetProperty("documents").EnumerateArray().ToList());
        var sha = Convert.ToHexStringLower(SHA256.HashData(cv));
        Assert.Equal(CvName, document.GetProperty("originalName").GetString());
        Assert.Equal("Cv", document.GetProperty("kind").GetString());
        Assert.Equal(cv.Length, document.GetProperty("size").GetInt64());
        Assert.Equal(sha, document.GetProperty("sha256").GetString());
        var path = document.GetProperty("zipPath").GetString()!;
        Assert.Equal($"documents/{application.GetProperty("id").GetGuid()}/1-Ada_s_CV_final_.pdf", path);
        Assert.Equal(cv, ReadBytes(zip, path));

        using var manifest = JsonDocument.Parse(Read(zip, "manifest.json"));
        var listed = Assert.Single(manifest.RootElement.GetProperty("files").EnumerateArray().ToList());
        Assert.Equal(path, listed.GetProperty("path").GetString());
        Assert.Equal(CvName, listed.GetProperty("originalName").GetString());
        Assert.Equal(cv.Length, listed.GetProperty("size").GetInt64());
        Assert.Equal(sha, listed.GetProperty("sha256").GetString());
        Assert.Contains($"\"{path}\",\"{CvName}\",{cv.Length},{sha}", Read(zip, "manifest.csv"));

        var request = Assert.Single(root.GetProperty("requests").EnumerateArray().ToList());
        Assert.Equal(requestId, request.GetProperty("id").GetGuid());
        Assert.Equal("Access", request.GetProperty("type").GetString());

        var summary = Read(zip, "summary.html");
        Assert.Contains("If it is rejected, it is deleted 6 months after that decision", summary);
        Assert.Contains("Datatilsynet &lt;the Norwegian DPA&gt;", summary); // the authority, encoded
        Assert.DoesNotContain(Authority, summary);
        Assert.Contains("Example Hosting Ltd", summary);
        Assert.Contains("No decision about you is made by automated means", summary);
        Assert.Contains("not transferred outside the EU/EEA", summary);

        var audit = await _portal.WithDbAsync(db => db.AuditEvents.Where(a => a.RequestId == requestId).Select(a => a.Action).ToListAsync());
        Assert.Contains(AuditAction.RequestStarted, audit);
        Assert.Contains(AuditAction.ExportCreated, audit);
        Assert.Contains(AuditAction.RequestCompleted, audit);
        Assert.Contains(AuditAction.ExportDownloaded, audit);
    }

    [Fact]
    public async Task The_jobseeker_is_mailed_where_to_get_it_and_until_when_without_their_data_in_the_mail()
    {
        var browser = await ApplyAsync("mail@example.test", SampleFiles.Pdf());
        var requestId = await FileAccessRequestAsync("mail@example.test");
        await WaitForExportAsync(requestId);

        string? mail = null;
        await Wait.UntilAsync(() => (mail = _portal.MailFiles().Select(File.ReadAllText)
            .SingleOrDefault(m => m.Contains("Subject: Your data is ready to download"))) is not null, "the export-ready mail");
        Assert.Contains("To: mail@example.test", mail);
        Assert.Contains("Dear Ada Applicant,", mail);
        Assert.Contains("http://localhost/my/data", mail);
        Assert.Contains("sign in", mail);
        Assert.Contains($"deleted on {_clock.GetUtcNow().AddDays(7).UtcDateTime:d MMMM yyyy}", mail);
        Assert.DoesNotContain("Storgata", mail);
        Assert.DoesNotContain("400 00 000", mail);
        Assert.DoesNotContain(requestId.ToString(), mail);
        await Wait.UntilAsync(async () => await _portal.WithDbAsync(db =>
            db.Notifications.AnyAsync(n => n.RequestId == requestId && n.Kind == NotificationKind.ExportReady && n.SentAt != null)),
            "the notification to be marked sent");
    }

    [Fact]
    public async Task Only_the_owner_gets_the_zip_and_nobody_once_it_has_expired_and_the_hourly_job_has_deleted_it()
    {
        var owner = await ApplyAsync("owner@example.test", SampleFiles.Pdf());
        var other = await ApplyAsync("other@example.test", SampleFiles.Pdf());
        var requestId = await FileAccessRequestAsync("owner@example.test");
        await WaitForExportAsync(requestId);

        HttpAssert.Status(HttpStatusCode.NotFound, await other.Client.GetAsync($"/my/data/exports/{requestId}"));
        HttpAssert.Status(HttpStatusCode.NotFound, await owner.Client.GetAsync($"/my/data/exports/{Guid.NewGuid()}"));
        HttpAssert.Status(HttpStatusCode.OK, await owner.Client.GetAsync($"/my/data/exports/{requestId}"));
        var blobName = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ExportBlobName).SingleAsync());
        var blobFile = Path.Combine(_portal.BlobsFolder, blobName!);
        Assert.True(File.Exists(blobFile));

        // An hour before expiry it stays; after, the owner gets 404 even before the job has run.
        _clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(1));
        await RunExpiryAsync();
        Assert.True(File.Exists(blobFile));
        HttpAssert.Status(HttpStatusCode.OK, await owner.Client.GetAsync($"/my/data/exports/{requestId}"));

        _clock.Advance(TimeSpan.FromHours(2));
        HttpAssert.Status(HttpStatusCode.NotFound, await owner.Client.GetAsync($"/my/data/exports/{requestId}"));
        await RunExpiryAsync();
        Assert.False(File.Exists(blobFile));
        Assert.Empty(ExportFiles());
        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.Null(request.ExportBlobName);
        Assert.Equal(RequestStatus.Completed, request.Status);
        HttpAssert.Status(HttpStatusCode.NotFound, await owner.Client.GetAsync($"/my/data/exports/{requestId}"));
        Assert.Single(await _portal.WithDbAsync(db =>
            db.AuditEvents.Where(a => a.RequestId == requestId && a.Action == AuditAction.ExportDeleted).ToListAsync()));

        // Run again: nothing left to do, nothing audited twice.
        await RunExpiryAsync();
        Assert.Single(await _portal.WithDbAsync(db =>
            db.AuditEvents.Where(a => a.RequestId == requestId && a.Action == AuditAction.ExportDeleted).ToListAsync()));
    }

    [Fact]
    public async Task The_expiry_job_is_scheduled_hourly_under_a_constant_id_and_takes_a_missing_blob_as_deleted()
    {
        using (var connection = _portal.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var recurring = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ExpireExportsJob.RecurringJobId);
            Assert.Equal("0 * * * *", recurring.Cron);
        }

        await ApplyAsync("gone@example.test", SampleFiles.Pdf());
        var requestId = await FileAccessRequestAsync("gone@example.test");
        await WaitForExportAsync(requestId);
        var blobName = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ExportBlobName).SingleAsync());
        File.Delete(Path.Combine(_portal.BlobsFolder, blobName!));

        _clock.Advance(TimeSpan.FromDays(8));
        await RunExpiryAsync();
        Assert.Null(await _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ExportBlobName).SingleAsync()));
    }

    [Fact]
    public async Task Running_the_job_twice_or_again_after_a_crash_leaves_exactly_one_zip_and_one_mail()
    {
        await ApplyAsync("twice@example.test", SampleFiles.Pdf());
        var requestId = await AddRequestAsync("twice@example.test");

        // A crashed first run: the request is started and names a half-written ZIP.
        var halfWritten = "exports/" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(_portal.BlobsFolder, "exports"));
        await File.WriteAllBytesAsync(Path.Combine(_portal.BlobsFolder, halfWritten), [0x50, 0x4B, 0x03]);
        await _portal.WithDbAsync(async db =>
        {
            var request = await db.Requests.SingleAsync(r => r.Id == requestId);
            request.Start(_clock.GetUtcNow());
            request.AttachExport(halfWritten, 0, _clock.GetUtcNow().AddDays(7));
            await db.SaveChangesAsync();
        });

        await RunExportAsync(requestId);
        await RunExportAsync(requestId);

        var zip = Assert.Single(ExportFiles());
        Assert.NotEqual(halfWritten, "exports/" + Path.GetFileName(zip));
        var stored = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Equal("exports/" + Path.GetFileName(zip), stored.ExportBlobName);
        Assert.Equal(new FileInfo(zip).Length, stored.ExportSize);
        using (var archive = ZipFile.OpenRead(zip))
            Assert.Contains(archive.Entries, e => e.FullName == "data.json");
        Assert.Equal(1, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.RequestId == requestId)));
        Assert.Equal(1, await _portal.WithDbAsync(db =>
            db.AuditEvents.CountAsync(a => a.RequestId == requestId && a.Action == AuditAction.ExportCreated)));
    }

    [Fact]
    public async Task A_document_whose_bytes_no_longer_match_its_sha256_fails_the_job_and_leaves_no_zip()
    {
        await ApplyAsync("tampered@example.test", SampleFiles.Pdf());
        var requestId = await AddRequestAsync("tampered@example.test");
        var cvBlob = await _portal.WithDbAsync(db => db.Documents.Select(d => d.BlobName).SingleAsync());
        var cvFile = Path.Combine(_portal.BlobsFolder, cvBlob);
        var bytes = await File.ReadAllBytesAsync(cvFile);
        bytes[^20] ^= 0x20;
        await File.WriteAllBytesAsync(cvFile, bytes);

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => RunExportAsync(requestId));
        Assert.DoesNotContain("cv.pdf", failure.Message);
        Assert.Empty(ExportFiles());
        Assert.Empty(Directory.Exists(ExportsFolder) ? Directory.GetFiles(ExportsFolder, ".*") : []); // no temp file either
        var request = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.RequestId == requestId)));
    }

    [Fact]
    public async Task A_request_whose_applicant_no_longer_exists_completes_with_nothing()
    {
        var request = DataSubjectRequest.File(RequestType.Access, Guid.NewGuid(), _clock.GetUtcNow());
        request.MarkEnqueued(_clock.GetUtcNow());
        await _portal.WithDbAsync(async db => { db.Requests.Add(request); await db.SaveChangesAsync(); });

        await RunExportAsync(request.Id);

        var stored = await _portal.WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == request.Id));
        Assert.Equal(RequestStatus.Completed, stored.Status);
        Assert.Null(stored.ExportBlobName);
        Assert.Empty(ExportFiles());
        Assert.Equal(0, await _portal.WithDbAsync(db => db.Notifications.CountAsync(n => n.RequestId == request.Id)));
    }

    // ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────────

    private string ExportsFolder => Path.Combine(_portal.BlobsFolder, "exports");

    private IReadOnlyList<string> ExportFiles() =>
        Directory.Exists(ExportsFolder) ? Directory.GetFiles(ExportsFolder).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList() : [];

    private async Task<PortalBrowser> ApplyAsync(string email, byte[] cv)
    {
        var browser = new PortalBrowser(_portal.CreateBrowserClient());
        var url = $"/postings/{_postingId}/apply";
        var response = await browser.SubmitAsync(url, url, ApplyTests.Fields(email),
            [new FormFile("Cv", CvName, cv, "application/pdf")]);
        HttpAssert.Status(HttpStatusCode.Redirect, response);
        await ConfirmEmailAsync(browser, email);
        return browser;
    }

    /// <summary>From the mail, as the jobseeker does: this signs the browser in.</summary>
    private async Task ConfirmEmailAsync(PortalBrowser browser, string email)
    {
        string? mail = null;
        await Wait.UntilAsync(() => (mail = _portal.MailFiles().Select(File.ReadAllText)
            .SingleOrDefault(m => m.Contains("Subject: Confirm your email address") && m.Contains($"To: {email}"))) is not null,
            "the confirmation mail");
        var link = mail!.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http://localhost/account/confirm-email"));
        HttpAssert.Redirect("/my/applications", await browser.ConfirmFromLinkAsync(link, "correct horse battery staple"));
    }

    /// <summary>As the "Download my data" button does: files the request, which hands it to the export job.</summary>
    private async Task<Guid> FileAccessRequestAsync(string email)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Recruiting.Core.Data.RecruitingDbContext>();
        var applicant = await db.Applicants.SingleAsync(a => a.Email == email);
        var request = await scope.ServiceProvider.GetRequiredService<RightsRequests>().FileAsync(applicant, RequestType.Access,
            CancellationToken.None);
        return request.Id;
    }

    /// <summary>A request row the test runs the job for itself (nothing is handed to Hangfire).</summary>
    private async Task<Guid> AddRequestAsync(string email) =>
        await _portal.WithDbAsync(async db =>
        {
            var applicant = await db.Applicants.SingleAsync(a => a.Email == email);
            var request = DataSubjectRequest.File(RequestType.Access, applicant.Id, _clock.GetUtcNow());
            request.MarkEnqueued(_clock.GetUtcNow()); // so the reconcile job leaves it to the test
            db.Requests.Add(request);
            await db.SaveChangesAsync();
            return request.Id;
        });

    private Task WaitForExportAsync(Guid requestId) =>
        Wait.UntilAsync(async () => await _portal.WithDbAsync(db =>
            db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.Completed)), "the export job");

    private async Task RunExportAsync(Guid requestId)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExportJob>().RunAsync(requestId, CancellationToken.None);
    }

    private async Task RunExpiryAsync()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExpireExportsJob>().RunAsync(CancellationToken.None);
    }

    internal static string Read(ZipArchive zip, string name) => Encoding.UTF8.GetString(ReadBytes(zip, name));

    internal static byte[] ReadBytes(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"The ZIP has no {name}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
