using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Mail;

namespace Recruiting.UnitTests.Notifications;

public sealed class PickupDirectoryMailSenderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mail-").FullName;
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly PickupDirectoryMailSender _sender;

    public PickupDirectoryMailSenderTests() =>
        _sender = new PickupDirectoryMailSender(_folder, Options.Create(new MailOptions { From = "Jobs <jobs@example.test>" }),
            new FakeTimeProvider(Now));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_mail_becomes_one_eml_file_named_by_its_id_and_a_retry_overwrites_it()
    {
        var id = Guid.NewGuid();
        await _sender.SendAsync(new OutgoingMail(id, "ada@example.test", "Hei på deg", "Line one\nLine two"));
        await _sender.SendAsync(new OutgoingMail(id, "ada@example.test", "Hei på deg", "Line one\nLine two"));

        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal($"{id:N}.eml", Path.GetFileName(file));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("To: ada@example.test\r\n", text);
        Assert.Contains("From: \"Jobs\" <jobs@example.test>\r\n", text);
        Assert.Contains("Subject: =?utf-8?B?", text); // non-ASCII subject is encoded
        Assert.Contains("Date: Sun, 29 Nov 2026 12:00:00 GMT", text);
        Assert.EndsWith("\r\n\r\nLine one\r\nLine two", text);
    }

    [Fact]
    public async Task Deleting_copies_removes_those_mails_only_and_skips_ids_without_one()
    {
        var gone = Guid.NewGuid();
        var kept = Guid.NewGuid();
        await _sender.SendAsync(new OutgoingMail(gone, "ada@example.test", "One", "Body"));
        await _sender.SendAsync(new OutgoingMail(kept, "bo@example.test", "Two", "Body"));

        await _sender.DeleteAsync([gone, Guid.NewGuid()], CancellationToken.None);

        Assert.Equal($"{kept:N}.eml", Path.GetFileName(Assert.Single(Directory.GetFiles(_folder))));
    }

    [Fact]
    public async Task Copies_written_before_the_cutoff_expire_and_a_dry_run_only_counts_them()
    {
        var old = Guid.NewGuid();
        await _sender.SendAsync(new OutgoingMail(old, "ada@example.test", "Old", "Body"));
        await _sender.SendAsync(new OutgoingMail(Guid.NewGuid(), "bo@example.test", "New", "Body"));
        // From the sender's clock, which dates the copies: the wall clock passed 29 Nov + 7 days on 6 Dec 2026.
        var cutoff = Now.AddDays(-7);
        File.SetLastWriteTimeUtc(Path.Combine(_folder, $"{old:N}.eml"), cutoff.AddMinutes(-1).UtcDateTime);

        Assert.Equal(1, await _sender.ExpireAsync(cutoff, dryRun: true, CancellationToken.None));
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
        Assert.Equal(1, await _sender.ExpireAsync(cutoff, dryRun: false, CancellationToken.None));
        Assert.DoesNotContain($"{old:N}.eml", Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Theory]
    [InlineData("ada@example.test\r\nBcc: everyone@example.test")]
    [InlineData("not an address")]
    public async Task A_recipient_that_could_inject_headers_is_refused(string to)
    {
        await Assert.ThrowsAsync<FormatException>(() => _sender.SendAsync(new OutgoingMail(Guid.NewGuid(), to, "Hi", "Body")));
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
