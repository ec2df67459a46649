using Recruiting.Core.Applications;
using Recruiting.Core.Identity;
using Recruiting.Core.Review;
using Recruiting.Web.ViewModels;

namespace Recruiting.UnitTests.Web;

public sealed class AccessLogLineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Application = Guid.NewGuid();

    private static AccessLogEntry View(Guid actor, string role, int minute) =>
        AccessLogEntry.Viewed(Application, Guid.NewGuid(), new StaffMember(actor, role), Start.AddMinutes(minute));

    [Fact]
    public void Reloads_during_one_visit_read_as_one_view_but_every_download_and_every_person_counts()
    {
        var recruiter = Guid.NewGuid();
        var hr = Guid.NewGuid();
        var document = (ApplicationDocument)Activator.CreateInstance(typeof(ApplicationDocument), nonPublic: true)!;
        typeof(ApplicationDocument).GetProperty(nameof(ApplicationDocument.Kind))!.SetValue(document, DocumentKind.Cv);

        var lines = AccessLogLine.Summarise(
        [
            View(recruiter, Roles.Recruiter, 0),
            View(recruiter, Roles.Recruiter, 2),
            AccessLogEntry.Downloaded(Application, Guid.NewGuid(), document, new StaffMember(recruiter, Roles.Recruiter), Start.AddMinutes(3)),
            View(hr, Roles.HR, 4),
            View(recruiter, Roles.Recruiter, 9),
            View(recruiter, Roles.Recruiter, 30), // a new visit
        ]);

        Assert.Equal(
        [
            "A recruiter viewed your application",
            "HR viewed your application",
            "A recruiter downloaded your CV",
            "A recruiter viewed your application",
        ], lines.Select(l => l.Sentence));
        Assert.Equal(Start.AddMinutes(30), lines[0].At);
    }
}
