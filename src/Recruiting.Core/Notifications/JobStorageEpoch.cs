namespace Recruiting.Core.Notifications;

/// <summary>
/// When this process's Hangfire storage began, if it does not outlive the process (in memory): every job handed over
/// before then is gone, so the reconcile jobs treat it as stale. Null for storage that survives restarts.
/// </summary>
public sealed record JobStorageEpoch(DateTimeOffset? LostBefore)
{
    /// <summary>How long a handed-over job may take before it is handed over again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Work handed over before this is handed over again: after <see cref="StaleAfter"/>, or at once when it was
    /// handed to a storage that did not survive a restart, however recent.
    /// </summary>
    public DateTimeOffset StaleBefore(DateTimeOffset now) =>
        LostBefore is { } lostBefore && lostBefore > now - StaleAfter ? lostBefore : now - StaleAfter;
}
