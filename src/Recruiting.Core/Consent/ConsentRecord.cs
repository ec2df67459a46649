namespace Recruiting.Core.Consent;

public enum ConsentPurpose
{
    /// <summary>Keep the application after its own process ends and tell the applicant about new openings.</summary>
    TalentPool,
}

/// <summary>
/// One consent an applicant gave, with the version of the text they agreed to; withdrawing sets
/// <see cref="WithdrawnAt"/> and keeps the record (it proves what was agreed, and when it ended) until the applicant is erased.
/// </summary>
public class ConsentRecord
{
    private ConsentRecord() { }

    public Guid Id { get; private set; }
    public Guid ApplicantId { get; private set; }
    public Guid? ApplicationId { get; private set; }
    public ConsentPurpose Purpose { get; private set; }
    public string TextVersion { get; private set; } = "";
    public DateTimeOffset GivenAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }

    public bool IsActive => WithdrawnAt is null;

    public static ConsentRecord Give(Guid applicantId, Guid? applicationId, ConsentPurpose purpose, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(), ApplicantId = applicantId, ApplicationId = applicationId, Purpose = purpose,
            TextVersion = ConsentText.VersionOf(purpose), GivenAt = now,
        };

    public void Withdraw(DateTimeOffset now) => WithdrawnAt ??= now;
}

/// <summary>The words a consent is given to. Change the version whenever the text changes: each record keeps the version it was given to.</summary>
public static class ConsentText
{
    public const string TalentPoolVersion = "2026-11-29";
    public const string TalentPool =
        "Keep my application for future openings: keep my application and documents in the talent pool after this " +
        "recruitment ends, and email me about new openings. I can withdraw this at any time with one click.";

    public static string VersionOf(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.TalentPool => TalentPoolVersion,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };

    public static string TextOf(ConsentPurpose purpose) => purpose switch
    {
        ConsentPurpose.TalentPool => TalentPool,
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };
}
