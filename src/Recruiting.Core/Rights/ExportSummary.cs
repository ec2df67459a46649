using System.Globalization;
using System.Net;
using System.Text;
using Recruiting.Core.Privacy;

namespace Recruiting.Core.Rights;

/// <summary>
/// summary.html of the export: a readable answer to GDPR Art. 15(1)(a)–(h) and 15(2) for this applicant. Every value
/// that comes from data or settings is HTML-encoded; the page has no scripts and no outside resources.
/// </summary>
public static class ExportSummary
{
    public static string Render(ExportData data, PrivacyOptions privacy)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>Your personal data</title>
            <style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}</style>
            </head>
            <body>
            """);
        html.Append($"<h1>Your personal data held by {E(Or(privacy.ControllerName, "the recruiting portal"))}</h1>\n");
        html.Append($"<p>Made on {E(Date(data.GeneratedAt))} for {E(data.Profile.FullName)} (request {E(data.RequestId)}). "
                    + "This page answers the questions of GDPR Article 15. All your data is in <code>data.json</code> in this ZIP; "
                    + "the documents you uploaded are in <code>documents/</code>, listed with their sizes and SHA-256 in "
                    + "<code>manifest.json</code> and <code>manifest.csv</code>.</p>\n");
        html.Append("<p>Controller: ").Append(E(Or(privacy.ControllerName, "(not set)")));
        if (!string.IsNullOrWhiteSpace(privacy.ControllerAddress)) html.Append(", ").Append(E(privacy.ControllerAddress));
        if (!string.IsNullOrWhiteSpace(privacy.ContactEmail)) html.Append(". Privacy contact: ").Append(E(privacy.ContactEmail));
        html.Append(".</p>\n");

        html.Append("""
            <h2>Why we process your data (Art. 15(1)(a))</h2>
            <ul>
            <li>To handle your job applications: to assess them, contact you and decide, as steps taken at your request before
            a possible employment contract (GDPR Art. 6(1)(b)).</li>
            <li>Only if you consented: to keep your application in our talent pool and tell you about new openings (Art. 6(1)(a)).</li>
            <li>To keep a record of who looked at your application, of your requests and of the answers, to be accountable
            (Art. 5(2)), and to defend legal claims while a legal hold applies (Art. 17(3)(e)).</li>
            </ul>
            <h2>What kinds of data (Art. 15(1)(b))</h2>
            <ul>
            <li>Contact details: name, email, phone, address.</li>
            <li>Your account: sign-in name and email, whether it is confirmed, when it was created and last used.</li>
            <li>Applications: the position, status, dates, cover letter and the documents you uploaded (CV and others).</li>
            <li>Recruiters' notes about your applications.</li>
            <li>Consents, your data-protection requests and our answers, legal holds, the log of staff looking at your
            application, and the mails we sent you (kind and time).</li>
            </ul>
            """);

        html.Append("<h2>Who receives it (Art. 15(1)(c))</h2>\n<ul>\n")
            .Append("<li>The recruiters assigned to the posting you applied for see that application; HR staff see all applications.</li>\n");
        foreach (var processor in privacy.SubProcessors)
            html.Append($"<li>{E(processor.Name)}: {E(processor.Purpose)} (location: {E(Or(processor.Location, "not stated"))}), "
                        + "as our processor under a data processing agreement.</li>\n");
        html.Append("<li>We do not sell your data or give it to other employers.</li>\n</ul>\n");

        html.Append("<h2>How long we keep it (Art. 15(1)(d))</h2>\n");
        if (data.Applications.Count == 0)
            html.Append("<p>You have no applications with us. Your profile and account are kept until you delete them.</p>\n");
        else
        {
            html.Append("<table>\n<tr><th>Position</th><th>Status</th><th>Submitted</th><th>Rule</th><th>Deletion due</th></tr>\n");
            foreach (var application in data.Applications)
                html.Append($"<tr><td>{E(application.PostingTitle)}</td><td>{E(application.Status)}</td>"
                            + $"<td>{E(Date(application.SubmittedAt))}</td><td>{E(application.RetentionRule)}</td>"
                            + $"<td>{E(application.DeletionDueAt is { } due ? Date(due) : "not yet known: set when the rule starts to run")}</td></tr>\n");
            html.Append("</table>\n");
        }
        html.Append("<p>Your profile and account are kept as long as you have an application or consent with us, "
                    + "or until you delete them. This download itself is deleted a few days after it was made.</p>\n");

        html.Append("""
            <h2>Your rights (Art. 15(1)(e))</h2>
            <p>On <em>My data</em> in the portal you can correct your contact details and replace the CV of an application
            still under review (rectification, Art. 16), delete all your data (erasure, Art. 17), ask us to restrict the
            processing of an application (Art. 18) or object to it (Art. 21), withdraw your talent-pool consent at any
            time, and download this copy again (Art. 15 and 20).</p>
            """);
        html.Append("<h2>Complaints (Art. 15(1)(f))</h2>\n<p>You can complain to a data protection authority, in particular ")
            .Append(E(Or(privacy.SupervisoryAuthority, "the authority where you live or work")))
            .Append(". We would like to hear from you first");
        if (!string.IsNullOrWhiteSpace(privacy.ContactEmail)) html.Append(" at ").Append(E(privacy.ContactEmail));
        html.Append(".</p>\n");

        html.Append("""
            <h2>Where the data comes from (Art. 15(1)(g))</h2>
            <ul>
            <li>From you: contact details, cover letters, documents, consents and your requests.</li>
            <li>From our recruiters: the status of your applications, their decisions and their notes.</li>
            <li>From HR: answers to your requests, extensions of their due dates, and legal holds.</li>
            <li>From the portal itself: account dates, the log of staff looking at your application, and the mails it sent.</li>
            </ul>
            <h2>Automated decisions (Art. 15(1)(h))</h2>
            <p>No decision about you is made by automated means, and no profiling is done: people read and decide on every application.</p>
            """);

        html.Append("<h2>Transfers outside the EU/EEA (Art. 15(2))</h2>\n");
        var outside = privacy.SubProcessors.Where(p => !p.InEuEea).ToList();
        if (outside.Count == 0)
            html.Append("<p>Your data is not transferred outside the EU/EEA.</p>\n");
        else
        {
            html.Append("<p>These processors are not stated to be in the EU/EEA; transfers to them rely on the safeguards of "
                        + "GDPR Chapter V (an adequacy decision or standard contractual clauses). Ask us for a copy:</p>\n<ul>\n");
            foreach (var processor in outside)
                html.Append($"<li>{E(processor.Name)} ({E(Or(processor.Location, "location not stated"))})</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
