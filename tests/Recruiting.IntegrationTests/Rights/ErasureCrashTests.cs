using System.Net;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;
using Recruiting.Core.Rights;
using Recruiting.IntegrationTests.Fixtures;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// Jobs are crash-safe and the database, not Hangfire, holds the work, tried with a real crash: the portal runs as a child process, is killed half-way through an
/// erasure, and finishes it after a restart with nobody acting.
/// </summary>
// The embedded profile's recovery: in-memory Hangfire loses the job with the process and reconcile re-hands it. On
// PostgreSQL the job survives in Hangfire's tables; ScaleOut tests kill one of two instances mid-job instead.
[Trait("Provider", "Sqlite")]
public sealed class ErasureCrashTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private void Mark(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds:F1} s: {what}");

    private const string Password = ErasureTests.Password;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recruiting-crash-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("recruiting-crash-mail-").FullName;

    public void Dispose()
    {
        foreach (var folder in new[] { _dataDirectory, _elsewhere })
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task An_erasure_killed_half_way_completes_after_a_restart_without_anyone_acting()
    {
        var settings = new Dictionary<string, string>
        {
            ["DataDirectory"] = _dataDirectory,
            ["Seed:HrEmail"] = PortalFactory.HrEmail,
            ["Seed:HrPassword"] = "hr-" + Guid.NewGuid().ToString("N"),
            ["Seed:DemoJobs"] = "false",
            ["Portal:PublicUrl"] = "http://localhost",
        };
        // A pickup "folder" that is a file: every send throws, so the erasure stops at its receipt, after the blobs
        // and rows are deleted and before the account is.
        var blockedPickup = Path.Combine(_elsewhere, "not-a-folder");
        await File.WriteAllTextAsync(blockedPickup, "");

        var m = Guid.NewGuid().ToString("N")[..10];
        var email = $"crash-{m}@example.test";
        var documentMarker = RandomNumberGenerator.GetBytes(48);
        var traces = new Traces().Text("name", $"Crashmark{m}").Text("email", $"crash-{m}").Text("cover letter", $"crashcover{m}")
            .Bytes("document bytes", documentMarker);
        Guid requestId, userId;

        await using (var first = await PortalProcess.StartAsync(new Dictionary<string, string>(settings) { ["Mail:PickupDirectory"] = blockedPickup }))
        {
            Mark("started");
            var posting = JobPosting.Create("Site reliability engineer", "Oslo", "Keep things running.", DateTimeOffset.UtcNow);
            posting.Open(DateTimeOffset.UtcNow);
            await WithDbAsync(async db => { db.JobPostings.Add(posting); await db.SaveChangesAsync(); return 0; });

            var browser = new PortalBrowser(first.Client);
            var url = $"/postings/{posting.Id}/apply";
            HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync(url, url, new Dictionary<string, string>
            {
                ["FullName"] = $"Kari Crashmark{m}", ["Email"] = email, ["Phone"] = "+47 400 00 000",
                ["CoverLetter"] = $"I bring crashcover{m}.", ["Password"] = Password,
            }, [new FormFile("Cv", "cv.pdf", [.. SampleFiles.Pdf(), .. "%"u8, .. documentMarker, .. "\n"u8], "application/pdf")]));
            // No mail can arrive here, so the address is confirmed in the database, as the link would have done.
            userId = await WithDbAsync(async db =>
            {
                var user = await db.Users.SingleAsync(u => u.Email == email);
                user.EmailConfirmed = true;
                await db.SaveChangesAsync();
                return user.Id;
            });
            await browser.SignInAsync(email, Password);

            HttpAssert.Status(HttpStatusCode.Redirect, await browser.SubmitAsync("/my/data/delete", "/my/data/delete",
                new Dictionary<string, string> { ["Password"] = Password }));
            Mark("applied and requested");
            requestId = await WithDbAsync(db => db.Requests.Where(r => r.Type == RequestType.Erasure).Select(r => r.Id).SingleAsync());

            // Half-way: blobs and rows gone, the receipt not sent, the account still there.
            await Wait.UntilAsync(() => WithDbAsync(async db =>
                    await db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.InProgress && r.ReceiptSentAt == null)
                    && !await db.Documents.AnyAsync() && !await db.Applications.AnyAsync()
                    && await db.Users.AnyAsync(u => u.Id == userId)),
                "the erasure to stop at its receipt");
            Mark("half-way");
            await first.KillAsync();
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(_dataDirectory, "blobs"), "*", SearchOption.AllDirectories));
        Assert.True(await WithDbAsync(db => db.Users.AnyAsync(u => u.Id == userId)));

        await using (await PortalProcess.StartAsync(settings))
        {
            Mark("restarted");
            await Wait.UntilAsync(() => WithDbAsync(async db =>
                    await db.Requests.AnyAsync(r => r.Id == requestId && r.Status == RequestStatus.Completed)
                    && !await db.Users.AnyAsync(u => u.Id == userId) && !await db.Applicants.AnyAsync()),
                "the erasure to complete after the restart");

            Mark("completed");
            var receipt = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "mail", $"{requestId:N}.eml"));
            Assert.Contains($"To: {email}", receipt);
            Assert.Contains("- Applications, with their cover letters: 1", receipt);
            var tombstone = await WithDbAsync(db => db.Requests.SingleAsync(r => r.Id == requestId));
            Assert.Null(tombstone.ApplicantId);
            Assert.Contains("documents=1", tombstone.ResultCounts);

            var left = traces.InFolder(_dataDirectory, "mail");
            Assert.True(left.Count == 0, "Found after erasure:\n" + string.Join("\n", left));
        }
    }

    /// <summary>
    /// The portal's database, opened from the test as another process would: no pooling (nothing stays open after),
    /// and secure_delete on like the app's own connections, so the test's one update leaves no old copy of the row.
    /// </summary>
    private async Task<T> WithDbAsync<T>(Func<RecruitingDbContext, Task<T>> action)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "recruiting.db")};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA secure_delete = ON;";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var db = new RecruitingDbContext(new DbContextOptionsBuilder<RecruitingDbContext>().UseSqlite(connection).Options);
        return await action(db);
    }
}
