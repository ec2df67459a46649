using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Mail;

namespace Recruiting.UnitTests.Notifications;

public sealed class PickupDirectoryMailSenderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mail-").FullName;
    private readonly PickupDirectoryMailSender _sender;

    public PickupDirectoryMailSenderTests() =>
        _sender = new PickupDirectoryMailSender(_folder, Options.Create(new MailOptions { From = "Jobs <jobs@example.test>" }),
            new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));

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

    [Theory]
    [InlineData("ada@example.test\r\nBcc: everyone@example.test")]
    [InlineData("not an address")]
    public async Task A_recipient_that_could_inject_headers_is_refused(string to)
    {
        await Assert.ThrowsAsync<FormatException>(() => _sender.SendAsync(new OutgoingMail(Guid.NewGuid(), to, "Hi", "Body")));
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
