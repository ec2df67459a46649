using System.Net;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Portal;

[CollectionDefinition(nameof(ProcessWideCounts), DisableParallelization = true)]
public sealed class ProcessWideCounts;

/// <summary>
/// A test host watches no files. Each file watcher on Linux holds an inotify instance, and a fresh machine allows 128
/// per user: a suite that starts hundreds of hosts ran out of them half-way. Counted on this process's open
/// descriptors, alone (no other test starts hosts meanwhile).
/// </summary>
[Collection(nameof(ProcessWideCounts))]
public sealed class FileWatcherTests
{
    [Fact]
    public async Task Starting_and_using_a_portal_opens_no_inotify_instance()
    {
        var before = InotifyInstances.Of("self");

        using var portal = new PortalFactory();
        var postingId = await portal.CreatePostingAsync();
        var client = portal.CreateClient();
        HttpAssert.Status(HttpStatusCode.OK, await client.GetAsync("/"));
        HttpAssert.Status(HttpStatusCode.OK, await client.GetAsync($"/postings/{postingId}"));
        HttpAssert.Status(HttpStatusCode.OK, await client.GetAsync("/css/site.css"));

        var after = InotifyInstances.Of("self");
        Assert.True(after <= before, $"{after - before} inotify instances more than before the portal started"); // fewer: another test's host went meanwhile
    }

    [Fact]
    public async Task A_portal_started_as_its_own_process_opens_no_inotify_instance()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("recruiting-watchers-").FullName;
        try
        {
            await using var portal = await PortalProcess.StartAsync(new Dictionary<string, string>
            {
                ["DataDirectory"] = dataDirectory,
                ["Seed:HrEmail"] = PortalFactory.HrEmail,
                ["Seed:HrPassword"] = "hr-" + Guid.NewGuid().ToString("N"),
                ["Seed:DemoJobs"] = "false",
            });
            HttpAssert.Status(HttpStatusCode.OK, await portal.Client.GetAsync("/"));

            Assert.Equal(0, InotifyInstances.Of(portal.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}
