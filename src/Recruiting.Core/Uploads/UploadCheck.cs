namespace Recruiting.Core.Uploads;

/// <summary>The verdict on one upload.</summary>
/// <param name="Format">The document's format; set only when the upload is accepted.</param>
/// <param name="Refusal">Why the upload was refused, as a message fit to show the user; null when accepted.</param>
/// <param name="DisplayName">The file name made safe to show back to the user: its last path segment, with unprintable and
/// direction-changing characters replaced by U+FFFD, at most 100 characters. For an accepted file whose name is not
/// longer than that, the name as given.</param>
public sealed record UploadCheck(DocumentFormat? Format, string? Refusal, string DisplayName)
{
    public bool Accepted => Refusal is null;

    internal static UploadCheck Accept(DocumentFormat format, string displayName) => new(format, null, displayName);

    internal static UploadCheck Refuse(string refusal, string displayName) => new(null, refusal, displayName);
}
