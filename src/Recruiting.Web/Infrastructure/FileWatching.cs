using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Whether the portal watches its own files. On Linux every watcher holds an inotify instance, of which a user may have
/// 128 on a stock machine; a test suite or benchmark that starts hundreds of hosts in one process runs out. The standard
/// host setting <c>hostBuilder:reloadConfigOnChange=false</c> already stops the settings files being watched; the
/// portal takes it to mean the web root too (the asp-append-version hashes are then computed once per file).
/// </summary>
public static class FileWatching
{
    public const string Setting = "hostBuilder:reloadConfigOnChange";

    public static void StopWatchingWebRootUnlessReloading(this WebApplication app)
    {
        if (!app.Configuration.GetValue(Setting, defaultValue: true))
            app.Environment.WebRootFileProvider = new UnwatchedFileProvider(app.Environment.WebRootFileProvider);
    }

    private sealed class UnwatchedFileProvider(IFileProvider files) : IFileProvider
    {
        public IFileInfo GetFileInfo(string subpath) => files.GetFileInfo(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => files.GetDirectoryContents(subpath);

        public IChangeToken Watch(string filter) => NullChangeToken.Singleton;
    }
}
