using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// Runs the repository's own Azurite (npm devDependency) on a free loopback port with a throwaway data folder,
/// so Azure tests need no Docker, no shared emulator and no cleanup between runs.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's well-known development account; the key is published in Microsoft's docs and only opens the emulator.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _location;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var executable = Path.Combine(FindRepositoryRoot(), "node_modules", ".bin",
            OperatingSystem.IsWindows() ? "azurite-blob.cmd" : "azurite-blob");
        if (!File.Exists(executable))
            throw new InvalidOperationException(
                $"Azurite is not installed ({executable} is missing). Run the test command from README.md, "
                + "which runs `npm ci` in the repository root first.");

        _location = Directory.CreateTempSubdirectory("recruiting-azurite-").FullName;
        var port = FindFreePort();
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--blobHost", "127.0.0.1",
                "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", _location,
                "--silent",
                "--loose",
                // Tests must not send anything off the machine.
                "--disableTelemetry",
            },
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        // Drained continuously so a chatty emulator never blocks on a full pipe; kept for the failure message.
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitUntilListeningAsync(port);
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
            + $"BlobEndpoint=http://127.0.0.1:{port}/{AccountName};";
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(exited.Token);
            }
            _process.Dispose();
        }
        if (_location is not null && Directory.Exists(_location))
            Directory.Delete(_location, recursive: true);
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before listening on port {port}:\n{Output()}");
            try
            {
                using var client = new TcpClient();
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                if (deadline.Elapsed > StartTimeout)
                    throw new TimeoutException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds} s:\n{Output()}");
            }
            // Polls the condition with a growing pause; the deadline, not the pause, bounds the wait.
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    private static int FindFreePort()
    {
        // The port could in theory be taken again before Azurite binds it; Azurite then exits and the wait above reports it.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Recruiting.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Recruiting.sln found above {AppContext.BaseDirectory}.");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            if (_output.Length < 64 * 1024)
                _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
            return _output.ToString();
    }
}

/// <summary>One Azurite process shared by every test class that needs Azure storage.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
