using System.Globalization;

namespace Recruiting.Core.Uploads;

/// <summary>
/// The messages an upload is refused with. They are shown to the user as they are, so none of them
/// repeats the file name: it is the attacker's text, and <see cref="UploadCheck.DisplayName"/> is its safe form.
/// </summary>
public static class UploadRefusals
{
    public const string MissingName = "The file has no name. Please choose the file again.";

    public const string NameTooLong = "The file name is too long: use at most 255 characters.";

    public const string NameHasPath = "The file name must not contain '/', '\\', ':' or '..'. Please rename the file and try again.";

    public const string NameHasHiddenCharacters = "The file name contains control or text-direction characters. Please rename the file and try again.";

    public const string WrongType = "Only PDF (.pdf), Word (.docx) and OpenDocument Text (.odt) files can be uploaded.";

    public const string Empty = "The file is empty.";

    public const string TooManyParts = "The document is made of too many parts to be processed safely.";

    public const string ExpandsTooMuch = "The document would unpack to too much data to be processed safely.";

    /// <summary>The scanner found malware. Deliberately says no more: the uploader learns nothing about what matched.</summary>
    public const string Infected = "This file cannot be accepted.";

    /// <summary>The scanner gave no verdict, so the upload is not stored (fail closed).</summary>
    public const string ScannerUnavailable = "We cannot check files right now; please try again later.";

    public static string TooLarge(long maxFileBytes) =>
        string.Format(CultureInfo.InvariantCulture, "The file is too large: the limit is {0:0.#} MB.", maxFileBytes / (1024.0 * 1024.0));

    /// <summary>The content is not the format the extension claims, or the file is damaged.</summary>
    public static string NotA(DocumentFormat format) =>
        $"The file is not a valid {DocumentFormats.DisplayName(format)} document, or it is damaged.";
}
