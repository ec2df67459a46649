using Recruiting.Core.Applications;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;

namespace Recruiting.UnitTests.Model;

public sealed class PrivacyNoticeTests
{
    private static readonly PrivacyOptions Privacy = new() { ControllerName = "Example AS", ContactEmail = "privacy@example.test" };
    private static readonly RetentionPeriods Defaults = RetentionPeriods.From(new RetentionOptions());

    [Fact]
    public void The_version_is_the_hash_of_the_text_and_changes_with_any_period_or_scope()
    {
        var notice = PrivacyNotice.Build(Privacy, Defaults, forPosting: true);
        Assert.Matches("^[0-9a-f]{64}$", notice.Version);
        Assert.Equal(notice.Version, PrivacyNotice.Build(Privacy, Defaults, forPosting: true).Version);
        Assert.NotEqual(notice.Version, PrivacyNotice.Build(Privacy, Defaults with { HiredMonths = 7 }, forPosting: true).Version);
        Assert.NotEqual(notice.Version, PrivacyNotice.Build(Privacy, Defaults, forPosting: false).Version);
        Assert.NotEqual(notice.Version, PrivacyNotice.Build(new PrivacyOptions { ControllerName = "Other AS" }, Defaults, true).Version);
    }

    [Fact]
    public void The_text_holds_every_heading_paragraph_and_item_the_page_shows()
    {
        var options = new PrivacyOptions
        {
            ControllerName = "Example AS", SubProcessors = [new SubProcessor { Name = "Host Ltd", Purpose = "hosting", Location = "EU" }],
        };
        var notice = PrivacyNotice.Build(options, Defaults with { RejectedMonths = 1 }, forPosting: true);
        foreach (var section in notice.Sections)
        {
            Assert.Contains(section.Heading, notice.Text);
            Assert.All(section.Paragraphs, p => Assert.Contains(p, notice.Text));
            Assert.All(section.Items, i => Assert.Contains(i, notice.Text));
        }
        Assert.Contains("For this position: 1 month after a rejection", notice.Text);
        Assert.Contains("- Host Ltd: hosting (EU)", notice.Text);
    }
}
