using System.Runtime;
using System.Runtime.InteropServices;

namespace Recruiting.Benchmarks.Harness;

/// <summary>What the figures were measured on; read from /proc and the runtime.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Kernel, string DotNet, string Gc)
{
    public static MachineInfo Read()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB (MemTotal {kb} kB)" : "unknown";
        var os = OsRelease() ?? RuntimeInformation.OSDescription;
        var gc = (GCSettings.IsServerGC ? "server" : "workstation") + $", latency mode {GCSettings.LatencyMode}";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
            : RuntimeInformation.OSDescription;
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, kernel,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})", gc);
    }

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was around the run.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? FirstValue(string file, string key)
    {
        if (!File.Exists(file)) return null;
        foreach (var line in File.ReadLines(file))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == key)
                return line[(colon + 1)..].Trim();
        }
        return null;
    }

    private static string? OsRelease()
    {
        const string file = "/etc/os-release";
        if (!File.Exists(file)) return null;
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim('"');
    }
}
