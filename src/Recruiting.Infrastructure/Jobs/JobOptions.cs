namespace Recruiting.Infrastructure.Jobs;

/// <summary>Settings section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this instance.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron schedule of the job that re-hands unfinished work to Hangfire.</summary>
    public string ReconcileCron { get; set; } = "*/5 * * * *";

    /// <summary>Cron schedule of the retention enforcement run (daily by default, 03:00 UTC).</summary>
    public string RetentionCron { get; set; } = "0 3 * * *";

    /// <summary>Cron schedule of the job that deletes "Download my data" ZIPs whose time is up.</summary>
    public string ExpireExportsCron { get; set; } = "0 * * * *";
}
