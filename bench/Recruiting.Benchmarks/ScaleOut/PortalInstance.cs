using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Recruiting.Benchmarks.ScaleOut;

/// <summary>
/// One instance of the built portal (Recruiting.Web.dll, next to this program) as a child process on 127.0.0.1, pinned
/// to one core with <c>taskset</c> and told it has one processor (<c>DOTNET_PROCESSOR_COUNT=1</c>): the nearest this
/// machine comes to "one machine per instance". Testing environment (Production with pickup mail), settings as environment variables, its own
/// data folder (only mail files land there: the database and blobs are the shared services).
/// </summary>
public sealed class PortalInstance : IAsyncDisposable
{
    private const int SigTerm = 15, SigCont = 18, SigStop = 19;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalInstance(string name, int core, Process process, Uri address, string dataDirectory)
    {
        Name = name;
        Core = core;
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public string Name { get; }

    public int Core { get; }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    /// <summary>Runs the real <c>migrate</c> command, as an operator does before starting instances.</summary>
    public static async Task MigrateAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        await LocalServices.RunToEndAsync(StartInfo(settings, ["migrate"]), "the migrate command", cancellationToken);
    }

    /// <param name="core">The core to pin the instance to (with <c>DOTNET_PROCESSOR_COUNT=1</c>), or null for the whole machine.</param>
    public static async Task<PortalInstance> StartAsync(string name, int? core, IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken)
    {
        var port = LocalServices.FreePort();
        var data = Directory.CreateTempSubdirectory($"recruiting-bench-{name}-").FullName;
        var start = StartInfo(settings, [], core);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DataDirectory"] = data;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start instance {name}.");
        var instance = new PortalInstance(name, core ?? -1, process, new Uri($"http://127.0.0.1:{port}/"), data);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await instance.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    /// <summary>User + system CPU seconds this instance has used so far.</summary>
    public double CpuSeconds => ProcCpu.Seconds(_process.Id);

    /// <summary>SIGSTOP: the instance takes no CPU, no request and no job until <see cref="Resume"/>.</summary>
    public void Freeze() => Signal(SigStop);

    public void Resume() => Signal(SigCont);

    public string Output()
    {
        lock (_output)
            return _output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGCONT first: a frozen process cannot act on SIGTERM. Then a graceful stop, so Hangfire signs the server off.
            Signal(SigCont);
            Signal(SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_DATA") != "1")
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string[] arguments, int? core = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Recruiting.Web.dll");
        var start = new ProcessStartInfo(core is null ? DotnetHost() : "taskset")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (core is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(core.Value.ToString());
            start.ArgumentList.Add(DotnetHost());
        }
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Like Production, except that mail may go to the pickup folder (the services run without MailDev).
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Uploads__Scanner__Enabled"] = "false"; // no clamd among the services
        // Watches no files, like every host the tests and benchmarks start (host settings need the DOTNET_ prefix).
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        if (core is not null)
            start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        return start;
    }

    /// <summary>The dotnet host running this program (bench/run starts it with `dotnet`), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Instance {Name} exited with {_process.ExitCode} before answering:\n{Output()}");
            try
            {
                using var response = await client.GetAsync("/health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"Instance {Name} was not healthy within {StartTimeout.TotalSeconds} s:\n{Output()}");
            // Polls the condition with a growing pause; the deadline above bounds the wait.
            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            if (_output.Length < 256 * 1024)
                _output.AppendLine(line);
    }
}
