using System.Globalization;
using System.Text;
using Recruiting.Core.Audit;
using Recruiting.Core.Notifications;

namespace Recruiting.Core.Rights;

/// <summary>
/// What an erasure deleted, per kind, recorded on the request before anything is deleted (so a retried run reports the
/// same), and the receipt mailed to the address that is deleted right after.
/// </summary>
public static class ErasureReceipt
{
    /// <summary>The kinds an erasure counts, in the order the receipt lists them, with the words it uses.</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> Kinds =
    [
        ("profile", "Your profile with your contact details"),
        ("applications", "Applications, with their cover letters"),
        ("documents", "Documents you uploaded (CVs and others)"),
        ("notes", "Recruiters' notes about your applications"),
        ("consents", "Consent records"),
        ("requests", "Earlier requests about your data (kept only as numbered records without your details)"),
        ("exports", "\"Download my data\" files"),
        ("accessLog", "Entries in the log of staff who viewed your data"),
        ("notifications", "Records of emails to you"),
        ("legalHolds", "Ended legal holds"),
        ("account", "Your account"),
        ("logins", "External sign-ins linked to your account"),
        ("tokens", "Sign-in tokens of your account"),
    ];

    public static string Format(IReadOnlyDictionary<string, int> counts) => AuditEvent.FormatCounts(counts);

    /// <summary>Reads counts written by <see cref="Format"/>; unknown or malformed parts are skipped.</summary>
    public static IReadOnlyDictionary<string, int> Parse(string? counts)
    {
        var parsed = new Dictionary<string, int>();
        foreach (var part in (counts ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                parsed[pair[0]] = value;
        }
        return parsed;
    }

    /// <param name="mailId">Stable across retries, so a resent receipt replaces rather than duplicates.</param>
    /// <param name="requestId">The erasure request, or null when an account without a profile was deleted at once.</param>
    public static OutgoingMail Mail(Guid mailId, string to, Guid? requestId, DateTimeOffset receivedAt, DateTimeOffset deletedAt,
        IReadOnlyDictionary<string, int> counts)
    {
        var body = new StringBuilder()
            .AppendLine("As you asked, we have deleted the personal data we held about you (GDPR Art. 17).")
            .AppendLine();
        if (requestId is not null)
            body.AppendLine($"Request number: {requestId}");
        body.AppendLine($"Request received: {Date(receivedAt)}")
            .AppendLine($"Data deleted: {Date(deletedAt)}")
            .AppendLine()
            .AppendLine("What was deleted:");
        foreach (var (key, label) in Kinds)
            if (counts.TryGetValue(key, out var count))
                body.AppendLine($"- {label}: {count}");
        body.AppendLine()
            .AppendLine("What we keep: a record that this request was carried out, with its number, its dates and the counts above. "
                        + "It holds no name, address or other detail about you.")
            .AppendLine()
            .AppendLine("This is the last email you get from us: your email address is deleted right after it is sent. "
                        + "To use the portal again, create a new account when you apply.");
        return new OutgoingMail(mailId, to, "Your data has been deleted", body.ToString());
    }

    private static string Date(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
