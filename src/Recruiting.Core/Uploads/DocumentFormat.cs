namespace Recruiting.Core.Uploads;

/// <summary>The document formats a jobseeker may upload.</summary>
public enum DocumentFormat
{
    Pdf,
    Docx,
    Odt,
}

public static class DocumentFormats
{
    /// <summary>The media type to store and serve the document with.</summary>
    public static string ContentType(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => "application/pdf",
        DocumentFormat.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        DocumentFormat.Odt => "application/vnd.oasis.opendocument.text",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The file extension, lower case, with its leading dot (".pdf").</summary>
    public static string Extension(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => ".pdf",
        DocumentFormat.Docx => ".docx",
        DocumentFormat.Odt => ".odt",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>A name for the format that users recognise, for messages.</summary>
    public static string DisplayName(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => "PDF",
        DocumentFormat.Docx => "Word (.docx)",
        DocumentFormat.Odt => "OpenDocument Text (.odt)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The format named by the last extension of <paramref name="fileName"/>, ignoring case;
    /// null when that extension is not one we accept ("cv.pdf.exe" is an .exe).</summary>
    public static DocumentFormat? FromFileName(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot < 0)
            return null;

        var extension = fileName[dot..];
        foreach (var format in Enum.GetValues<DocumentFormat>())
        {
            if (string.Equals(extension, Extension(format), StringComparison.OrdinalIgnoreCase))
                return format;
        }
        return null;
    }
}
