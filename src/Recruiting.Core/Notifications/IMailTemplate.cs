namespace Recruiting.Core.Notifications;

/// <summary>
/// The mail of one <see cref="NotificationKind"/>, owned by the feature the mail is about. Rendering only reads: it
/// makes the mail from what the database says now, or null when nothing is owed any more (the subject was erased,
/// the offer ended), and changes nothing, so a render that is retried or whose send fails leaves no trace.
/// </summary>
public interface IMailTemplate
{
    NotificationKind Kind { get; }

    Task<OutgoingMail?> RenderAsync(Notification notification, CancellationToken cancellationToken);

    /// <summary>
    /// A change that may happen only once the mail has gone, tracked on the job's context and saved with the sent
    /// mark; a failed send leaves it undone, and the retry does it.
    /// </summary>
    Task AfterSentAsync(Notification notification, CancellationToken cancellationToken) => Task.CompletedTask;
}
