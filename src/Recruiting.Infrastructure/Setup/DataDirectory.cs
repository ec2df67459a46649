namespace Recruiting.Infrastructure.Setup;

/// <summary>
/// The one folder that holds all embedded state (SQLite file, blobs, mail, keys): back it up or delete it as one thing.
/// Setting <c>DataDirectory</c>; a relative path is taken from the app's content root.
/// </summary>
public sealed class DataDirectory
{
    public const string Setting = "DataDirectory";

    public DataDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A sub-folder, created when missing.</summary>
    public string Folder(string name)
    {
        var folder = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static DataDirectory From(IConfiguration configuration, string contentRoot) =>
        new(System.IO.Path.Combine(contentRoot, configuration[Setting] is { Length: > 0 } configured ? configured : "data"));
}
