using System.Globalization;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;

namespace Recruiting.Infrastructure.Mail;

/// <summary>
/// The embedded default: each mail becomes <c>{mail id}.eml</c> in a folder, readable by any mail client.
/// Named by id, so a retried send overwrites rather than duplicates, and erasure and retention can find it.
/// </summary>
public sealed class PickupDirectoryMailSender(string directory, IOptions<MailOptions> options, TimeProvider time)
    : IMailSender, ISentMailCopies
{
    public bool KeepsCopies => true;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var to = new MailAddress(mail.To); // refuses header injection and malformed addresses
        var from = new MailAddress(options.Value.From);
        var message = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(to.Address).Append("\r\n")
            .Append("Subject: ").Append(EncodeHeader(mail.Subject)).Append("\r\n")
            .Append("Date: ").Append(time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(mail.Id.ToString("N")).Append('@').Append(from.Host).Append(">\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n")
            .Append(mail.Body.ReplaceLineEndings("\r\n"))
            .ToString();

        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{mail.Id:N}.eml");
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, message, new UTF8Encoding(false), cancellationToken);
        // Dated by the clock that expires it (ExpireAsync), so a copy lives exactly its days whatever clock the host runs on.
        File.SetLastWriteTimeUtc(temporary, time.GetUtcNow().UtcDateTime);
        File.Move(temporary, path, overwrite: true);
    }

    public Task DeleteAsync(IReadOnlyCollection<Guid> mailIds, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            return Task.CompletedTask; // nothing was ever written
        foreach (var id in mailIds)
        {
            var path = Path.Combine(directory, $"{id:N}.eml");
            File.Delete(path); // no such file is not an error
            File.Delete(path + ".tmp"); // a send killed half-way
        }
        return Task.CompletedTask;
    }

    public Task<int> ExpireAsync(DateTimeOffset writtenBefore, bool dryRun, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            return Task.FromResult(0);
        var expired = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.eml*"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LastWriteTimeUtc >= writtenBefore.UtcDateTime)
                continue;
            expired++;
            if (!dryRun)
                file.Delete();
        }
        return Task.FromResult(expired);
    }

    private static string EncodeHeader(string value) =>
        value.Any(c => c > 126 || c < 32)
            ? "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?="
            : value;
}
