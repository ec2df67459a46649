using System.Security.Cryptography;
using System.Text;
using Recruiting.Core.Retention;

namespace Recruiting.Core.Privacy;

/// <summary>One heading of the notice with its paragraphs and, optionally, a list.</summary>
public sealed record NoticeSection(string Heading, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Items);

/// <summary>
/// The applicant privacy notice (GDPR Art. 13), built from the controller's settings and the retention periods in force.
/// Its <see cref="Version"/> is the SHA-256 of its <see cref="Text"/>, so any change to what is shown, a retention
/// policy edited by HR included, is a new version; each application records the version its applicant saw, and the
/// text is kept by that version (<see cref="PrivacyNoticeText"/>) so that the record proves what it was.
/// </summary>
public sealed class PrivacyNotice
{
    public const string Title = "How we handle your application data";

    /// <summary>Hex SHA-256: the length of <see cref="Version"/>.</summary>
    public const int VersionLength = 64;

    private PrivacyNotice(IReadOnlyList<NoticeSection> sections)
    {
        Sections = sections;
        Text = Render(sections);
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));
    }

    public IReadOnlyList<NoticeSection> Sections { get; }

    /// <summary>The notice as plain text: exactly the words the page shows, in order.</summary>
    public string Text { get; }

    public string Version { get; }

    /// <summary>The first characters of the version, enough to tell versions apart when read by a person.</summary>
    public string ShortVersion => Version[..12];

    public static string Shorten(string version) => version.Length > 12 ? version[..12] : version;

    /// <summary>
    /// The notice with <paramref name="periods"/>: on a posting's apply form the periods in force for that posting
    /// (<paramref name="forPosting"/>), on the general privacy page those of the default policy.
    /// </summary>
    public static PrivacyNotice Build(PrivacyOptions privacy, RetentionPeriods periods, bool forPosting)
    {
        var authority = string.IsNullOrWhiteSpace(privacy.SupervisoryAuthority) ? "" : $" ({privacy.SupervisoryAuthority})";
        var periodsText = $"{Months(periods.RejectedMonths)} after a rejection, {Days(periods.WithdrawnDays)} after you withdraw, "
                          + $"{Months(periods.NoDecisionMonthsAfterReceipt)} after we receive it if no decision is made "
                          + $"(or {Months(periods.NoDecisionMonthsAfterClosing)} after the position closes without a decision, if that is earlier), and "
                          + $"{Months(periods.HiredMonths)} after you are hired. If you agree to join our talent pool, we keep it "
                          + $"{Months(periods.TalentPoolMonths)} from your consent.";
        var retention = forPosting
            ? "We keep your application for as long as this position's retention policy says, and delete it automatically afterwards. "
              + "For this position: " + periodsText
            : "We keep your application for as long as the position's retention policy says, and delete it automatically afterwards. "
              + "By default: " + periodsText
              + " A position may have its own retention policy; the application form of each position states the periods in force for it.";

        return new PrivacyNotice(
        [
            new("Who is responsible",
                [$"{privacy.ControllerName}, {privacy.ControllerAddress}, is the controller of your data. Contact us about your data at {privacy.ContactEmail}."],
                []),
            new("Why we process your data, and on what legal basis",
                ["We use the data you send us to assess your application for the position you apply for. We process it on the basis of "
                 + "an agreement: it is a step taken at your request before entering into a contract (GDPR Art. 6(1)(b))."],
                []),
            new("What is required",
                ["Your full name, email, phone, a cover letter and your CV are required: without them we cannot assess your application. "
                 + "Your address and further documents are optional."],
                []),
            new("Who receives your data",
                [$"The recruiters and HR staff of {privacy.ControllerName} who handle the position. We use these sub-processors, bound by data processing agreements:"],
                privacy.SubProcessors.Select(s => $"{s.Name}: {s.Purpose} ({s.Location})").ToList()),
            new("How long we keep it", [retention], []),
            new("Your rights",
                ["You can get access to your data and a copy of it (portability), have it corrected (rectification), have it deleted "
                 + "(erasure), restrict or object to its processing, and withdraw any consent you gave. You can do most of this yourself "
                 + "after signing in, or contact us. You also have the right to complain to a data protection authority" + authority + "."],
                []),
            new("No automated decisions",
                ["People read and decide on every application. No automated decision-making or profiling is used."],
                []),
            new("Please leave out sensitive data",
                ["Do not include sensitive data in your CV or cover letter: health, religion or beliefs, ethnic origin, "
                 + "political opinions, trade union membership or sexual orientation. We do not need it to assess your application."],
                []),
        ]);
    }

    private static string Render(IReadOnlyList<NoticeSection> sections)
    {
        var text = new StringBuilder(Title).Append('\n');
        foreach (var section in sections)
        {
            text.Append('\n').Append(section.Heading).Append('\n');
            foreach (var paragraph in section.Paragraphs)
                text.Append(paragraph).Append('\n');
            foreach (var item in section.Items)
                text.Append("- ").Append(item).Append('\n');
        }
        return text.ToString();
    }

    private static string Months(int n) => n == 1 ? "1 month" : $"{n} months";

    private static string Days(int n) => n == 1 ? "1 day" : $"{n} days";
}

/// <summary>
/// Every distinct notice text ever shown, by its version: written the first time a text is shown, never changed or
/// deleted, so that the version an application records always resolves to the words its applicant read.
/// Not personal data: the same text is shown to everyone.
/// </summary>
public class PrivacyNoticeText
{
    private PrivacyNoticeText() { }

    public string Version { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset FirstShownAt { get; private set; }

    public static PrivacyNoticeText Of(PrivacyNotice notice, DateTimeOffset now) =>
        new() { Version = notice.Version, Text = notice.Text, FirstShownAt = now };
}

/// <summary>Settings section <c>Privacy</c>: the facts the notice states about the controller.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    public string ControllerName { get; set; } = "";
    public string ControllerAddress { get; set; } = "";
    public string ContactEmail { get; set; } = "";
    public string SupervisoryAuthority { get; set; } = "";

    /// <summary>Days a "Download my data" ZIP is kept before it is deleted.</summary>
    public int ExportRetentionDays { get; set; } = 7;

    /// <summary>Days the one-click opt-out link in a talent-pool mail keeps working.</summary>
    public int OptOutLinkDays { get; set; } = 60;
    public List<SubProcessor> SubProcessors { get; set; } = [];
}

public sealed class SubProcessor
{
    public string Name { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Location { get; set; } = "";

    /// <summary>A location counts as inside when it names the EU or the EEA; anything else is listed as a possible transfer.</summary>
    public bool InEuEea =>
        Location.Split([' ', '/', ',', '(', ')', '-'], StringSplitOptions.RemoveEmptyEntries).Any(word => word is "EU" or "EEA");
}
