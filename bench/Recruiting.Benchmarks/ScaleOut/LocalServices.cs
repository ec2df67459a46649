using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recruiting.Benchmarks.ScaleOut;

/// <summary>
/// PostgreSQL and Azurite started by the repository's own <c>scripts/services</c>, the script an operator uses, on free
/// ports and in a state folder of their own (so a developer's services on the default ports are left alone), without
/// MailDev: the instances write their mail as files, so no external mail server shares the two cores. Stopped and
/// wiped on dispose.
/// </summary>
public sealed class LocalServices : IAsyncDisposable
{
    private readonly string _repository;
    private readonly Dictionary<string, string> _scriptEnvironment;

    private LocalServices(string repository, Dictionary<string, string> scriptEnvironment, IReadOnlyDictionary<string, string> settings)
    {
        _repository = repository;
        _scriptEnvironment = scriptEnvironment;
        Settings = settings;
    }

    public string StateDirectory => _scriptEnvironment["RECRUITING_SERVICES_DIR"];

    /// <summary>The instance settings the script printed, as environment variables (<c>Database__Provider</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public string PostgreSqlConnectionString => Settings["Database__PostgreSqlConnectionString"];

    /// <summary>The postmaster's pid (first line of postmaster.pid); its children are the server's other processes.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(StateDirectory, "postgres", "data", "postmaster.pid")).First());

    public int AzuritePid => int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "azurite.pid")).Trim());

    public static async Task<LocalServices> StartAsync(string repository, CancellationToken cancellationToken)
    {
        // Not created here: the script creates it, readable by the postgres user it runs the cluster as when root
        // (a folder from Directory.CreateTempSubdirectory would be private to this user).
        var state = Path.Combine(Path.GetTempPath(), "recruiting-bench-services-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string>
        {
            ["RECRUITING_SERVICES_DIR"] = state,
            ["RECRUITING_PG_PORT"] = FreePort().ToString(),
            ["RECRUITING_AZURITE_PORT"] = FreePort().ToString(),
            ["RECRUITING_SERVICES_NO_MAIL"] = "1",
        };
        var services = new LocalServices(repository, environment, new Dictionary<string, string>());
        try
        {
            await services.RunScriptAsync(cancellationToken, "start");
            var settings = ParseEnvFile(Path.Combine(state, "env"));
            return new LocalServices(repository, environment, settings);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("BENCH_KEEP_DATA") == "1")
        {
            Console.WriteLine($"BENCH_KEEP_DATA=1: services left running; stop them with RECRUITING_SERVICES_DIR={StateDirectory} scripts/services stop --wipe");
            return;
        }
        try
        {
            await RunScriptAsync(CancellationToken.None, "stop", "--wipe");
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"[scale-out] stopping the services failed: {e.Message}");
        }
    }

    private async Task RunScriptAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = _repository,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(_repository, "scripts", "services") },
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in _scriptEnvironment)
            start.Environment[key] = value;
        await RunToEndAsync(start, $"scripts/services {string.Join(' ', arguments)}", cancellationToken);
    }

    /// <summary>Runs a program to its end, its output kept for the message if it fails.</summary>
    internal static async Task RunToEndAsync(ProcessStartInfo start, string what, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {what}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with {process.ExitCode}:\n{await error}\n{await output}");
    }

    /// <summary>Reads the <c>export NAME='value'</c> lines of the env file the script writes.</summary>
    private static Dictionary<string, string> ParseEnvFile(string file)
    {
        var settings = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(file, Encoding.UTF8))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal))
                continue;
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=');
            settings[assignment[..equals]] = assignment[(equals + 1)..].Trim('\'');
        }
        foreach (var required in new[] { "Database__Provider", "Database__PostgreSqlConnectionString", "BlobStorage__Provider",
                     "BlobStorage__Azure__ConnectionString" })
            if (!settings.ContainsKey(required))
                throw new InvalidOperationException($"scripts/services wrote no {required} into {file}.");
        return settings;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
