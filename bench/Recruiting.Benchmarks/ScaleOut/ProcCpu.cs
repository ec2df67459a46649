namespace Recruiting.Benchmarks.ScaleOut;

/// <summary>CPU time of processes and of the whole machine, from /proc (Linux), to say where a phase's CPU went.</summary>
public static class ProcCpu
{
    /// <summary>USER_HZ: the unit of /proc's CPU times; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of one process (0 when it is gone).</summary>
    public static double Seconds(int pid) => Fields(pid) is { } f ? (f.UTime + f.STime) / TicksPerSecond : 0;

    /// <summary>
    /// A server and its children (PostgreSQL: the postmaster and its backends, checkpointer, WAL writer, ...): the live
    /// children's own time plus the time of children that ended, which the kernel adds to the parent once reaped.
    /// </summary>
    public static double TreeSeconds(int root)
    {
        if (Fields(root) is not { } r)
            return 0;
        var ticks = r.UTime + r.STime + r.CUTime + r.CSTime;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == root)
                continue;
            if (Fields(pid) is { } f && f.ParentPid == root)
                ticks += f.UTime + f.STime;
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores, every process, other people's work too).</summary>
    public static (double Busy, double Total) Machine()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(long.Parse).ToArray();
        var total = parts.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest time is inside user)
        var idle = parts[3] + parts[4];
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    private sealed record StatFields(int ParentPid, long UTime, long STime, long CUTime, long CSTime);

    private static StatFields? Fields(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
        return new StatFields(int.Parse(rest[1]), long.Parse(rest[11]), long.Parse(rest[12]), long.Parse(rest[13]), long.Parse(rest[14]));
    }
}
