using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>Mail on the scale-out profile: with <c>Mail:Smtp:Host</c> set, the portal's mail goes by SMTP, here to a real maildev.</summary>
public sealed class SmtpMailTests : IAsyncLifetime
{
    private Maildev _maildev = null!;
    private PortalFactory _portal = null!;

    public async Task InitializeAsync()
    {
        _maildev = await Maildev.StartAsync();
        _portal = new PortalFactory();
        foreach (var (key, value) in Maildev.SmtpSettings(_maildev.SmtpPort))
            _portal.Settings[key] = value;
    }

    public async Task DisposeAsync()
    {
        _portal.Dispose();
        await _maildev.DisposeAsync();
    }

    [Fact]
    public async Task The_application_confirmation_arrives_by_SMTP_to_the_applicant_and_nothing_is_written_as_a_file()
    {
        var postingId = await _portal.CreatePostingAsync("Mail engineer");
        var email = $"smtp-{Guid.NewGuid():N}@example.test";

        await _portal.ApplyAsync(postingId, email, "Sam Smtp");

        var mails = await _maildev.WaitForAsync(email, count: 2);
        var received = Assert.Single(mails, m => m.Subject == "We have received your application");
        Assert.Contains("Mail engineer", received.Text);
        Assert.Single(mails, m => m.Subject == "Confirm your email address");
        // The Message-ID comes from the notification's id, so a retried send is the same message.
        Assert.Matches("^<[0-9a-f]{32}@", received.Headers["message-id"]?.ToString());
        Assert.Empty(_portal.MailFiles());
    }
}
