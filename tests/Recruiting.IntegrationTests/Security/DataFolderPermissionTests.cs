using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// On Unix the data folder is readable by the portal's own account only: after an apply (database, blobs, mail, keys)
/// every folder in it is 0700 and every file 0600, and a folder that existed with wider rights is tightened at start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderPermissionTests
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task Everything_in_the_data_folder_is_private_to_the_portals_account_after_an_apply()
    {
        using var portal = new PortalFactory();
        // A folder an operator made by hand, readable by everyone.
        File.SetUnixFileMode(portal.DataDirectory, File.GetUnixFileMode(portal.DataDirectory) | UnixFileMode.GroupRead |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var posting = await portal.CreatePostingAsync();
        await portal.ApplyAsync(posting, "private-files@example.test");
        await Wait.UntilAsync(() => portal.MailFiles().Count >= 2, "the mails of the apply");

        var entries = Directory.GetFileSystemEntries(portal.DataDirectory, "*", SearchOption.AllDirectories).Prepend(portal.DataDirectory).ToList();
        Assert.Contains(entries, e => e.EndsWith(".eml", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.StartsWith(portal.BlobsFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(e));
        if (!PortalFactory.OnPostgreSql)
            Assert.Contains(entries, e => e.EndsWith("-wal", StringComparison.Ordinal));
        var open = entries.Select(e => (Entry: e, Mode: File.GetUnixFileMode(e)))
            .Where(e => (e.Mode & GroupOrOther) != 0 || (Directory.Exists(e.Entry) && e.Mode != (UnixFileMode)0b111_000_000))
            .Select(e => $"{Convert.ToString((int)e.Mode, 8)} {Path.GetRelativePath(portal.DataDirectory, e.Entry)}")
            .ToList();
        Assert.True(open.Count == 0, "Not private to the owner:\n" + string.Join("\n", open));
    }
}
