using System.Globalization;
using System.Text;

namespace Recruiting.Core.Uploads;

/// <summary>Rules for the file name a browser sends with an upload (the client's text, not a path we use).</summary>
internal static class UploadFileName
{
    public const int MaxLength = 255;

    public const int MaxDisplayLength = 100;

    private const char Replacement = '\uFFFD';

    /// <summary>Why the name is refused, or null when it is acceptable. Does not look at the extension.</summary>
    public static string? Refusal(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
            return UploadRefusals.MissingName;
        if (fileName.Length > MaxLength)
            return UploadRefusals.NameTooLong;
        if (HasUnsafeCharacter(fileName))
            return UploadRefusals.NameHasHiddenCharacters;
        if (fileName.AsSpan().IndexOfAny('/', '\\', ':') >= 0 || fileName.Contains("..", StringComparison.Ordinal))
            return UploadRefusals.NameHasPath;
        return null;
    }

    /// <summary>
    /// The name made safe to show back to the user: its last path segment, with every character that is not
    /// printable or that changes text direction replaced by U+FFFD, cut to <see cref="MaxDisplayLength"/>
    /// characters (ending in "…" when cut). A name that <see cref="Refusal"/> accepts and that is not longer
    /// than <see cref="MaxDisplayLength"/> comes back unchanged. Null gives "".
    /// </summary>
    public static string Display(string? fileName)
    {
        if (fileName is null)
            return "";

        var segment = fileName[(fileName.AsSpan().LastIndexOfAny('/', '\\') + 1)..];
        var safe = new StringBuilder(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            if (IsSurrogatePairAt(segment, i))
            {
                safe.Append(segment, i, 2);
                i++;
            }
            else
            {
                safe.Append(IsUnsafe(segment[i]) ? Replacement : segment[i]);
            }
        }
        return Shorten(safe.ToString());
    }

    private static bool HasUnsafeCharacter(string fileName)
    {
        for (var i = 0; i < fileName.Length; i++)
        {
            if (IsSurrogatePairAt(fileName, i))
                i++;
            else if (IsUnsafe(fileName[i]))
                return true;
        }
        return false;
    }

    private static bool IsSurrogatePairAt(string text, int index) =>
        index + 1 < text.Length && char.IsSurrogatePair(text[index], text[index + 1]);

    /// <summary>
    /// Control characters, line and paragraph separators, and unpaired surrogates are not printable; the
    /// embedding, override, isolate and mark characters reorder what follows them ("cv\u202Efdp.exe" shows as
    /// "cvexe.pdf"). Every such character is in the Basic Multilingual Plane, so testing chars is enough.
    /// </summary>
    private static bool IsUnsafe(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.Control
            or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate
        || c is >= '\u202A' and <= '\u202E'
            or >= '\u2066' and <= '\u2069'
            or '\u200E' or '\u200F' or '\u061C';

    private static string Shorten(string name)
    {
        if (name.Length <= MaxDisplayLength)
            return name;

        var cut = MaxDisplayLength - 1;
        if (char.IsHighSurrogate(name[cut - 1]))
            cut--;
        return string.Concat(name.AsSpan(0, cut), "…");
    }
}
