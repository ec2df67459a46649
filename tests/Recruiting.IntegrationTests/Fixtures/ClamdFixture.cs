using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Recruiting.Infrastructure.Scanning;
using Recruiting.Tests.Shared;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// A real clamd (Debian package clamav-daemon) on 127.0.0.1 and a free port, in the foreground, with a temporary
/// signature database that holds one signature: the EICAR test string, as a body signature so that it matches inside
/// other files (a PDF, a DOCX member). Nothing is downloaded; with one signature clamd answers PING within a second.
/// Killed, and its folder deleted, at the end.
/// </summary>
public sealed class ClamdFixture : IAsyncLifetime
{
    public const string Executable = "/usr/sbin/clamd";

    /// <summary>clamd's StreamMaxLength: small, so a test can pass it with a small file (the portal's own limit is 10 MB).</summary>
    public const int StreamMaxBytes = 1024 * 1024;

    private readonly StringBuilder _output = new();
    private string? _folder;
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>Points a portal's scanner at this clamd.</summary>
    public void Configure(PortalFactory portal)
    {
        portal.Settings["Uploads:Scanner:Enabled"] = "true";
        portal.Settings["Uploads:Scanner:Host"] = "127.0.0.1";
        portal.Settings["Uploads:Scanner:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        portal.Settings["Uploads:Scanner:TimeoutSeconds"] = "10";
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install the Debian package clamav-daemon (tests/run.sh does so as root).");

        _folder = Directory.CreateTempSubdirectory("recruiting-clamd-").FullName;
        var database = Directory.CreateDirectory(Path.Combine(_folder, "db")).FullName;
        // .ndb: Name:TargetType:Offset:HexSignature; target 0 is any file, offset * is anywhere in it.
        await File.WriteAllTextAsync(Path.Combine(database, "eicar.ndb"),
            $"Eicar-Test-Signature:0:*:{Convert.ToHexString(SampleFiles.Eicar()).ToLowerInvariant()}\n");

        Port = FreePort();
        var config = Path.Combine(_folder, "clamd.conf");
        // No LocalSocket line: the unix socket stays off. No User line: clamd stays the user that runs the tests.
        await File.WriteAllTextAsync(config, $"""
            Foreground yes
            TCPSocket {Port}
            TCPAddr 127.0.0.1
            DatabaseDirectory {database}
            TemporaryDirectory {_folder}
            StreamMaxLength {StreamMaxBytes}
            LogTime yes
            """);

        _process = new Process
        {
            StartInfo = new ProcessStartInfo(Executable, $"--config-file={config}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            },
        };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await Wait.UntilAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"clamd exited with {_process.ExitCode}: {Output}");
            return await PingAsync();
        }, "clamd to answer PING", TimeSpan.FromSeconds(30));
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Kills clamd (as a crash or an outage would) and waits until its port is closed.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return await new ClamdClient("127.0.0.1", Port).PingAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
