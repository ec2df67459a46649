using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Applications;

/// <summary>A jobseeker's profile: the contact details every application of theirs uses.</summary>
public class Applicant
{
    public const int FullNameMaxLength = 200;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 40;
    public const int AddressMaxLength = 500;

    private readonly List<JobApplication> _applications = [];

    private Applicant() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    [PersonalData] public string FullName { get; private set; } = "";
    [PersonalData] public string Email { get; private set; } = "";
    [PersonalData] public string Phone { get; private set; } = "";
    [PersonalData] public string? Address { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// When retention deleted their last application (null while they have one, or never lost one). The
    /// account-inactivity rule looks only at applicants with this set, so an enforcement run does not scan everyone.
    /// </summary>
    public DateTimeOffset? ApplicationsDeletedAt { get; private set; }

    public IReadOnlyCollection<JobApplication> Applications => _applications;

    public static Applicant Create(Guid userId, ContactDetails contact, DateTimeOffset now)
    {
        var applicant = new Applicant { Id = Guid.NewGuid(), UserId = userId, CreatedAt = now };
        applicant.UpdateContactDetails(contact, now);
        return applicant;
    }

    /// <summary>Takes these details; the record counts as updated only when one of them differs from what it held.</summary>
    public void UpdateContactDetails(ContactDetails contact, DateTimeOffset now)
    {
        // Lower-cased so that search by email is an index range scan on every provider.
        var given = new ContactDetails(contact.FullName.Trim(), contact.Email.Trim().ToLowerInvariant(), contact.Phone.Trim(),
            string.IsNullOrWhiteSpace(contact.Address) ? null : contact.Address.Trim());
        if (given == Contact && UpdatedAt != default)
            return;
        (FullName, Email, Phone, Address) = (given.FullName, given.Email, given.Phone, given.Address);
        UpdatedAt = now;
    }

    public ContactDetails Contact => new(FullName, Email, Phone, Address);
}

public sealed record ContactDetails(string FullName, string Email, string Phone, string? Address);
