namespace Recruiting.Core.Notifications;

public enum NotificationKind
{
    ApplicationReceived, ConfirmEmail, ApplicationRejected, StaffInvitation,
    /// <summary>The access request's ZIP is ready to download.</summary>
    ExportReady,
    /// <summary>HR extended a request's due date; the mail gives the reason.</summary>
    RequestExtended,
    /// <summary>A request was answered (completed, refused, or put on hold) with HR's answer.</summary>
    RequestAnswered,
    /// <summary>Art. 18(3): told before a restriction is lifted; the lifting happens once this is sent.</summary>
    RestrictionLifting,
    /// <summary>Marketing to the talent pool: a posting opened. Carries the one-click opt-out.</summary>
    NewOpening,
    /// <summary>Retention: an application's data is deleted soon, whatever the outcome; wording and offer (talent pool, or its renewal) follow the outcome.</summary>
    DeletionWarning,
    /// <summary>To HR: an enforcement run found more due than Retention:MaxDeletionsPerRun and deleted nothing.</summary>
    RetentionCapReached,
    /// <summary>Someone asked to reset the account's password; the mail carries a reset link made at send time.</summary>
    PasswordReset,
    /// <summary>
    /// A visitor applied with an address that already has an account: nothing was stored, and the address's owner is
    /// told how to sign in and apply (the form answered as for a new address, so it reveals no account).
    /// </summary>
    AccountExists,
    /// <summary>
    /// To the address an account asked to move to: the confirmation link (made at send time), or, when that address
    /// belongs to another account by then, a mail saying so instead of a link.
    /// </summary>
    EmailChangeConfirm,
    /// <summary>To the account's current address: a change of address was asked for, and what to do if it was not them.</summary>
    EmailChangeNotice,
}

/// <summary>
/// A mail the system owes someone. The row is the system of record: Hangfire gets only its id,
/// and the recipient and text are read at send time, so nothing personal sits in job storage.
/// A feature owes one by adding the row with the change it tells of; <see cref="NotificationOutbox"/> hands it to
/// <see cref="NotificationJob"/> once that change commits.
/// </summary>
public class Notification
{
    private Notification() { }

    public Guid Id { get; private set; }
    public NotificationKind Kind { get; private set; }
    public Guid UserId { get; private set; }
    public Guid? ApplicationId { get; private set; }
    public Guid? RequestId { get; private set; }
    public Guid? JobPostingId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }

    /// <summary>
    /// When a job for it was last handed to Hangfire (set in the commit that adds it, by the outbox); the reconcile
    /// job re-hands stale ones.
    /// </summary>
    public DateTimeOffset? EnqueuedAt { get; private set; }

    public bool IsSent => SentAt is not null;

    public static Notification ApplicationReceived(Guid userId, Guid applicationId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.ApplicationReceived, UserId = userId, ApplicationId = applicationId, CreatedAt = now };

    public static Notification ApplicationRejected(Guid userId, Guid applicationId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.ApplicationRejected, UserId = userId, ApplicationId = applicationId, CreatedAt = now };

    public static Notification StaffInvitation(Guid userId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.StaffInvitation, UserId = userId, CreatedAt = now };

    public static Notification PasswordReset(Guid userId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.PasswordReset, UserId = userId, CreatedAt = now };

    public static Notification AccountExists(Guid userId, Guid postingId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.AccountExists, UserId = userId, JobPostingId = postingId, CreatedAt = now };

    public static Notification EmailChangeConfirm(Guid userId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.EmailChangeConfirm, UserId = userId, CreatedAt = now };

    public static Notification EmailChangeNotice(Guid userId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.EmailChangeNotice, UserId = userId, CreatedAt = now };

    public static Notification ConfirmEmail(Guid userId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.ConfirmEmail, UserId = userId, CreatedAt = now };

    public static Notification AboutRequest(NotificationKind kind, Guid userId, Guid requestId, DateTimeOffset now) =>
        kind is NotificationKind.ExportReady or NotificationKind.RequestExtended or NotificationKind.RequestAnswered
            or NotificationKind.RestrictionLifting
            ? new() { Id = Guid.NewGuid(), Kind = kind, UserId = userId, RequestId = requestId, CreatedAt = now }
            : throw new ArgumentOutOfRangeException(nameof(kind));

    public static Notification NewOpening(Guid userId, Guid postingId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.NewOpening, UserId = userId, JobPostingId = postingId, CreatedAt = now };

    public static Notification DeletionWarning(Guid userId, Guid applicationId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.DeletionWarning, UserId = userId, ApplicationId = applicationId, CreatedAt = now };

    public static Notification RetentionCapReached(Guid hrUserId, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), Kind = NotificationKind.RetentionCapReached, UserId = hrUserId, CreatedAt = now };

    public void MarkEnqueued(DateTimeOffset now) => EnqueuedAt = now;

    public void RecordAttempt() => Attempts++;

    public void MarkSent(DateTimeOffset now) => SentAt ??= now;
}
