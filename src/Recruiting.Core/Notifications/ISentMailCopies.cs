namespace Recruiting.Core.Notifications;

/// <summary>
/// The copies of sent mail the portal keeps itself, named by mail id (a notification's id, or an erasure request's for
/// its receipt): the pickup folder's .eml files. Each holds an address and words about a person, so the copies go when
/// the person or the application they are about is deleted, and each expires after <see cref="KeptFor"/> whatever it
/// is about. A sender that hands mail on and keeps nothing (SMTP) keeps no copies.
/// </summary>
public interface ISentMailCopies
{
    /// <summary>Long enough to read a mail during development; far shorter than any retention period.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7);

    /// <summary>False when nothing is kept: callers then skip finding which mails a deletion concerns.</summary>
    bool KeepsCopies { get; }

    /// <summary>Deletes the copies of these mails; an id without a copy counts as deleted already.</summary>
    Task DeleteAsync(IReadOnlyCollection<Guid> mailIds, CancellationToken cancellationToken);

    /// <summary>Deletes the copies written before <paramref name="writtenBefore"/> (with dryRun, only counts them).</summary>
    Task<int> ExpireAsync(DateTimeOffset writtenBefore, bool dryRun, CancellationToken cancellationToken);
}
