using System.Net;
using System.Net.Sockets;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Security;

/// <summary>
/// Outside Development the built portal, started as an operator starts it, refuses settings that would quietly leave
/// applicants' data less safe: uploads taken without a reachable virus scanner (unless scanning is turned off
/// explicitly, which it warns about) and mail written to a folder on disk instead of sent by SMTP.
/// </summary>
public sealed class SafeDefaultsTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("recruiting-safe-defaults-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Production with an SMTP server named (nothing needs to listen: no mail is sent while starting).</summary>
    private Dictionary<string, string> Production(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataDirectory"] = _dataDirectory,
            ["Seed:HrPassword"] = "hr-" + Guid.NewGuid().ToString("N"),
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return all;
    }

    [Fact]
    public async Task Outside_development_scanning_is_on_by_default_and_an_unreachable_scanner_stops_the_start()
    {
        var (exitCode, output) = await PortalProcess.RunToExitAsync(Production(
            ("Uploads:Scanner:Enabled", ""), // the default
            ("Uploads:Scanner:Port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains("No virus scanner (clamd) answers", output);
        Assert.Contains("Uploads:Scanner:Enabled=false", output);
        Assert.Empty(Directory.GetFiles(_dataDirectory, "*.db")); // refused before the database was made
    }

    [Fact]
    public async Task Outside_development_scanning_turned_off_explicitly_starts_with_a_warning()
    {
        await using var portal = await PortalProcess.StartAsync(Production(("Uploads:Scanner:Enabled", "false")));

        Assert.Equal(HttpStatusCode.OK, (await portal.Client.GetAsync("/")).StatusCode);
        Assert.Contains("warn:", portal.Output());
        Assert.Contains("Uploads are not scanned for malware: Uploads:Scanner:Enabled is false", portal.Output());
    }

    [Fact]
    public async Task Outside_development_mail_must_go_through_smtp()
    {
        var (exitCode, output) = await PortalProcess.RunToExitAsync(Production(
            ("Uploads:Scanner:Enabled", "false"), ("Mail:Smtp:Host", "")));

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains("Mail:Smtp:Host is not set", output);
        Assert.False(Directory.Exists(Path.Combine(_dataDirectory, "mail")));
    }

    /// <summary>A loopback port nothing listens on (just freed).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
