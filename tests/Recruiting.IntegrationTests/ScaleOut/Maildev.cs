using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// The repository's own SMTP sink (npm devDependency <c>maildev</c>) on free loopback ports, keeping its mail in a
/// throwaway folder. What the portal sends over SMTP is read back through maildev's REST API.
/// </summary>
public sealed class Maildev : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _api;

    private Maildev(Process process, string folder, int smtpPort, int webPort)
    {
        _process = process;
        _folder = folder;
        SmtpPort = smtpPort;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
    }

    public int SmtpPort { get; }

    /// <summary>Settings that send the portal's mail here: plain SMTP, which is right only for a sink on the same host.</summary>
    public static Dictionary<string, string> SmtpSettings(int port) => new()
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
    };

    public static async Task<Maildev> StartAsync()
    {
        var executable = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "node_modules", ".bin", "maildev");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"maildev is not installed ({executable} is missing). Run `npm ci` in the repository root.");
        var folder = Directory.CreateTempSubdirectory("recruiting-maildev-").FullName;
        var (smtpPort, webPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--smtp", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--web", webPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
                // Its default folder is shared by every maildev on the machine.
                "--mail-directory", folder,
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var maildev = new Maildev(process, folder, smtpPort, webPort);
        process.OutputDataReceived += (_, e) => maildev.Append(e.Data);
        process.ErrorDataReceived += (_, e) => maildev.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"maildev exited with {process.ExitCode}:\n{maildev.Output()}");
                try
                {
                    return (await maildev._api.GetAsync("api/healthz")).IsSuccessStatusCode && await maildev.SmtpAnswersAsync();
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "maildev to listen", StartTimeout);
        }
        catch
        {
            await maildev.DisposeAsync();
            throw;
        }
        return maildev;
    }

    /// <summary>Every message received so far, in arrival order.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MessagesAsync() =>
        await _api.GetFromJsonAsync<List<ReceivedMail>>("api/email") ?? [];

    /// <summary>The messages to <paramref name="address"/>, once at least <paramref name="count"/> have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        IReadOnlyList<ReceivedMail> found = [];
        await Wait.UntilAsync(async () =>
        {
            found = (await MessagesAsync()).Where(m => m.IsTo(address)).ToList();
            return found.Count >= count;
        }, $"{count} mail(s) to {address}", timeout);
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _api.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task<bool> SmtpAnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            if (_output.Length < 64 * 1024)
                _output.AppendLine(line);
    }

    private string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One message as maildev's REST API returns it (the fields the tests read).</summary>
public sealed class ReceivedMail
{
    public string Id { get; set; } = "";
    public string? Subject { get; set; }
    public string? Text { get; set; }
    public List<MailAddress> To { get; set; } = [];
    public Dictionary<string, object?> Headers { get; set; } = [];

    public bool IsTo(string address) => To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase));

    public sealed class MailAddress
    {
        [JsonPropertyName("address")] public string Address { get; set; } = "";
    }
}
