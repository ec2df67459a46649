using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Recruiting.Core.Notifications;

namespace Recruiting.Infrastructure.Mail;

/// <summary>Settings section <c>Mail:Smtp</c>. Setting <see cref="Host"/> switches mail from .eml files to SMTP.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Mail:Smtp";

    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c>, <c>Auto</c>, or <c>None</c> for a relay or sink on the same host only.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Empty for a server that does not ask for a login.</summary>
    public string UserName { get; set; } = "";

    /// <summary>A secret: set it in the environment or a secret store, never in a committed settings file.</summary>
    public string Password { get; set; } = "";
}

/// <summary>
/// Sends each mail over its own SMTP session. The Message-ID comes from the mail's id, so a send retried after a
/// lost answer reaches the recipient as the same message, which mail clients show once.
/// </summary>
public sealed class SmtpMailSender(SmtpOptions smtp, IOptions<MailOptions> options, TimeProvider time) : IMailSender, ISentMailCopies
{
    /// <summary>A mail sent by SMTP is the server's and the recipient's: the portal keeps no copy to delete.</summary>
    public bool KeepsCopies => false;

    public Task DeleteAsync(IReadOnlyCollection<Guid> mailIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> ExpireAsync(DateTimeOffset writtenBefore, bool dryRun, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var from = MailboxAddress.Parse(options.Value.From);
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = time.GetUtcNow(),
            MessageId = $"{mail.Id:N}@{from.Domain}",
            Body = new TextPart("plain") { Text = mail.Body },
        };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(mail.To)); // refuses malformed addresses and header injection

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
                await client.AuthenticateAsync(smtp.UserName, smtp.Password, cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException e)
        {
            // The server's reply text often quotes the recipient ("550 5.1.1 <ada@example.com>: user unknown"), and a
            // job's exception is stored by Hangfire and logged. Rethrown without that text (and without the original as
            // inner exception): the mail id, what was refused and the status code are enough to diagnose.
            throw new MailDeliveryException(
                $"The SMTP server refused mail {mail.Id}: {e.ErrorCode}, status {(int)e.StatusCode} ({e.StatusCode}).");
        }
        catch (SmtpProtocolException)
        {
            throw new MailDeliveryException($"The SMTP server broke off the conversation while sending mail {mail.Id}.");
        }
    }
}

/// <summary>A mail could not be delivered. Its message names ids and status codes only, never an address.</summary>
public sealed class MailDeliveryException(string message) : Exception(message);
