using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recruiting.IntegrationTests.Fixtures;

/// <summary>
/// The built portal (Recruiting.Web.dll, copied next to the tests) run as a real child process on a free loopback port,
/// so a test can kill it outright, as a crash would, and start it again on the same data folder.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    // Generous: on a shared 2-core machine two instances starting side by side can each take well over 10 s.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = address,
        };
    }

    public Uri Address { get; }

    /// <summary>Keeps cookies and does not follow redirects, like <see cref="PortalFactory.CreateBrowserClient"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the portal with these settings (as environment variables, "Section:Key"; an empty value unsets
    /// one) and waits until it answers.</summary>
    public static async Task<PortalProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var process = Process.Start(StartInfo(settings, port)) ?? throw new InvalidOperationException("Could not start the portal.");
        var portal = new PortalProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{portal.Output()}");
                try
                {
                    return (await portal.Client.GetAsync("/")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the portal to answer on " + portal.Address, StartTimeout);
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
        return portal;
    }

    /// <summary>
    /// Runs Recruiting.Web.dll with these arguments (e.g. <c>migrate</c>, or none to see a start refused) until it exits by
    /// itself, and returns its exit code and everything it wrote. Fails if it is still running after the timeout.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string> settings,
        params string[] arguments)
    {
        var start = StartInfo(settings, FreePort());
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the portal.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Recruiting.Web.dll {string.Join(' ', arguments)} did not exit within {StartTimeout}:\n{output}");
        }
        process.WaitForExit(); // drains the output readers
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    /// <summary>The child's process id (Hangfire names its job servers after it).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Ends the process at once, with no chance to finish anything: what a crash or a power cut does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>What the process wrote to the console, for failure messages.</summary>
    public string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Client.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            if (_output.Length < 256 * 1024)
                _output.AppendLine(line);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, int port)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Recruiting.Web.dll") },
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Uploads__Scanner__Enabled"] = "false"; // no clamd here
        // Watches no files (PortalFactory says why); host settings are read from DOTNET_-prefixed variables only.
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        // Tests sign in and apply many times from one address; the limits have tests of their own (RateLimitTests).
        foreach (var limit in PortalFactory.RateLimitNames)
            start.Environment[$"RateLimits__{limit}__PermitLimit"] = "1000000";
        // An empty value removes a setting, so a test can see the portal's own default.
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__")] = value.Length == 0 ? null : value;
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
