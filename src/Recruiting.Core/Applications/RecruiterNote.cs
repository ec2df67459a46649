using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Applications;

/// <summary>A recruiter's note on an application. Its text is about the applicant, so it is their personal data.</summary>
public class RecruiterNote
{
    public const int TextMaxLength = 4000;

    private RecruiterNote() { }

    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid AuthorUserId { get; private set; }
    [PersonalData] public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? EditedAt { get; private set; }

    public static RecruiterNote Write(Guid applicationId, Guid authorUserId, string text, DateTimeOffset now) =>
        new() { Id = Guid.NewGuid(), ApplicationId = applicationId, AuthorUserId = authorUserId, Text = Valid(text), CreatedAt = now };

    public bool IsWrittenBy(Guid userId) => AuthorUserId == userId;

    public void Edit(string text, DateTimeOffset now)
    {
        Text = Valid(text);
        EditedAt = now;
    }

    /// <summary>Null when the text is acceptable, else the message to show.</summary>
    public static string? Refusal(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) return "A note cannot be empty.";
        if (trimmed.Length > TextMaxLength) return $"A note can be at most {TextMaxLength} characters.";
        return null;
    }

    private static string Valid(string text) =>
        Refusal(text) is { } refusal ? throw new ArgumentException(refusal, nameof(text)) : text.Trim();
}
