namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>How many inotify instances a process holds: each file watcher on Linux holds one.</summary>
public static class InotifyInstances
{
    /// <param name="process">A process id, or "self".</param>
    public static int Of(string process) =>
        new DirectoryInfo($"/proc/{process}/fd").EnumerateFileSystemInfos()
            .Count(fd => ReadLink(fd) == "anon_inode:inotify");

    private static string? ReadLink(FileSystemInfo fd)
    {
        try
        {
            return fd.LinkTarget;
        }
        catch (IOException)
        {
            return null; // closed while listed
        }
    }
}
