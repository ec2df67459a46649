namespace Recruiting.Core.Notifications;

/// <summary>Delivers one plain-text mail. <see cref="OutgoingMail.Id"/> is stable across retries.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

public sealed record OutgoingMail(Guid Id, string To, string Subject, string Body);
