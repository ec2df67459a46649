using System.Net;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Identity;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Portal;

[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>A fresh data folder is a fresh install: roles, one HR account, and its generated password shown once.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class FirstRunTests
{
    private sealed class UnseededPortal : PortalFactory
    {
        public UnseededPortal(string dataDirectory, string? database = null, bool keepDatabase = false)
        {
            // The same install on PostgreSQL is the same database too.
            PostgreSqlConnectionString = database;
            KeepDatabase = keepDatabase;
            Settings["DataDirectory"] = dataDirectory;
            Settings["Seed:HrPassword"] = "";
            Settings["Seed:DemoJobs"] = "true";
        }
    }

    [Fact]
    public async Task Without_a_configured_password_one_is_generated_printed_once_and_works()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("recruiting-first-run-").FullName;
        var original = Console.Out;
        var console = new StringWriter();
        Console.SetOut(console);
        try
        {
            string password;
            string? database;
            using (var first = new UnseededPortal(dataDirectory, keepDatabase: true))
            {
                first.CreateClient().Dispose(); // starts the app
                var printed = console.ToString();
                var line = printed.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("password:"));
                password = line["password:".Length..].Trim();
                Assert.True(password.Length >= 20, "The generated password should be long.");
                Assert.Contains($"email:    {PortalFactory.HrEmail}", printed);

                var hr = new PortalBrowser(first.CreateBrowserClient());
                await hr.SignInAsync(PortalFactory.HrEmail, password);
                HttpAssert.Status(HttpStatusCode.OK, await hr.Client.GetAsync("/manage/postings"));
                Assert.Equal(3, await first.WithDbAsync(db => db.JobPostings.CountAsync()));
                Assert.Equal(Roles.All.Order(), (await first.WithDbAsync(db => db.Roles.Select(r => r.Name!).ToListAsync())).Order());
                database = first.Database;
            }

            console.GetStringBuilder().Clear();
            using (var second = new UnseededPortal(dataDirectory, database))
            {
                second.CreateClient().Dispose();
                Assert.DoesNotContain("password:", console.ToString()); // shown once, never again
                Assert.Equal(1, await second.WithDbAsync(db => db.UserRoles.CountAsync()));
                Assert.Equal(3, await second.WithDbAsync(db => db.JobPostings.CountAsync())); // demo postings not seeded twice
                Assert.DoesNotContain(password, string.Join("\n", second.Logs.Entries.Select(e => e.Message)));
            }
        }
        finally
        {
            Console.SetOut(original);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
