namespace Recruiting.Infrastructure.Jobs;

/// <summary>Settings section <c>Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Hangfire workers in this instance.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often this instance looks for delayed jobs and recurring jobs that are due.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// PostgreSQL storage: how long a job fetched by an instance that stopped answering stays invisible before another
    /// instance takes it over. A live instance keeps its jobs' fetch time fresh, so long jobs are not taken over.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Cron schedule of the job that re-hands unfinished work to Hangfire.</summary>
    public string ReconcileCron { get; set; } = "*/5 * * * *";

    /// <summary>Cron schedule of the retention enforcement run (daily by default, 03:00 UTC).</summary>
    public string RetentionCron { get; set; } = "0 3 * * *";

    /// <summary>Cron schedule of the sweep that deletes blobs no row names (daily by default, 04:00 UTC, after the retention run).</summary>
    public string OrphanSweepCron { get; set; } = "0 4 * * *";

    /// <summary>Cron schedule of the job that deletes "Download my data" ZIPs whose time is up.</summary>
    public string ExpireExportsCron { get; set; } = "0 * * * *";
}
