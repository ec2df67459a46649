using System.Runtime.InteropServices;

namespace Recruiting.Infrastructure.Setup;

/// <summary>
/// The one folder that holds all embedded state (SQLite file, blobs, mail, keys): back it up or delete it as one thing.
/// Setting <c>DataDirectory</c>; a relative path is taken from the app's content root.
/// On Unix it is private to the account the portal runs as: the folder and its sub-folders 0700 (an existing folder is
/// tightened), and the process's umask 077, so that every file written (by the portal, SQLite's -wal and -shm, temp
/// files) is 0600 without each writer having to remember it.
/// </summary>
public sealed class DataDirectory
{
    public const string Setting = "DataDirectory";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public DataDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        RestrictNewFilesToOwner();
        CreatePrivate(Path);
    }

    public string Path { get; }

    /// <summary>A sub-folder, created (0700) when missing.</summary>
    public string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        CreatePrivate(folder);
        return folder;
    }

    public static DataDirectory From(IConfiguration configuration, string contentRoot) =>
        new(System.IO.Path.Combine(contentRoot, configuration[Setting] is { Length: > 0 } configured ? configured : "data"));

    private static void CreatePrivate(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        Directory.CreateDirectory(folder, OwnerOnly);
        if (File.GetUnixFileMode(folder) != OwnerOnly)
            File.SetUnixFileMode(folder, OwnerOnly);
    }

    /// <summary>umask 077 for the whole process: files are created 0600 and folders 0700 from now on.</summary>
    private static void RestrictNewFilesToOwner()
    {
        if (OperatingSystem.IsWindows())
            return;
        const uint ownerOnly = 0b000_111_111;
        // glibc's file name first: plain "libc" finds only a linker script there unless the C headers are installed.
        // Where neither loads, the 0700 folders still keep everyone else out.
        try
        {
            _ = UmaskGlibc(ownerOnly);
        }
        catch (DllNotFoundException)
        {
            try { _ = Umask(ownerOnly); }
            catch (DllNotFoundException) { }
        }
    }

    [DllImport("libc.so.6", EntryPoint = "umask")]
    private static extern uint UmaskGlibc(uint mask);

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
