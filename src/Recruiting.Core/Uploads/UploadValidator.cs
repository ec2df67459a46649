using System.IO.Compression;
using Microsoft.Extensions.Options;

namespace Recruiting.Core.Uploads;

/// <summary>
/// Decides from the file name and the bytes whether an upload is a document we accept, before anything is
/// stored. The browser's content type is not consulted: the client chooses it.
/// </summary>
public sealed class UploadValidator(IOptions<UploadOptions> options)
{
    private const string DocxMainPart = "word/document.xml";
    private const string OdtMimetypeEntry = "mimetype";

    private static ReadOnlySpan<byte> PdfSignature => "%PDF-"u8;
    private static ReadOnlySpan<byte> ZipSignature => "PK\x03\x04"u8;
    private static ReadOnlySpan<byte> OdtMimetype => "application/vnd.oasis.opendocument.text"u8;

    private readonly UploadOptions _options = options.Value;

    /// <param name="fileName">The name the client sent, as it sent it.</param>
    /// <param name="length">The upload's size in bytes; must be <paramref name="content"/>'s length.</param>
    /// <param name="content">The upload, readable and seekable. It is read from the start, and left at position 0.</param>
    /// <exception cref="ArgumentException">The content cannot be read and seeked, or its length is not <paramref name="length"/>.</exception>
    public UploadCheck Check(string? fileName, long length, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead || !content.CanSeek)
            throw new ArgumentException("The content must be readable and seekable.", nameof(content));
        if (length != content.Length)
            throw new ArgumentException($"The length ({length}) must be the content's length ({content.Length}).", nameof(length));

        var displayName = UploadFileName.Display(fileName);
        try
        {
            if (UploadFileName.Refusal(fileName) is { } nameRefusal)
                return UploadCheck.Refuse(nameRefusal, displayName);
            if (DocumentFormats.FromFileName(fileName!) is not { } format)
                return UploadCheck.Refuse(UploadRefusals.WrongType, displayName);

            var refusal = SizeRefusal(length) ?? ContentRefusal(format, content);
            return refusal is null ? UploadCheck.Accept(format, displayName) : UploadCheck.Refuse(refusal, displayName);
        }
        finally
        {
            content.Position = 0;
        }
    }

    private string? SizeRefusal(long length)
    {
        if (length == 0)
            return UploadRefusals.Empty;
        if (length > _options.MaxFileBytes)
            return UploadRefusals.TooLarge(_options.MaxFileBytes);
        return null;
    }

    private string? ContentRefusal(DocumentFormat format, Stream content) => format switch
    {
        DocumentFormat.Pdf => StartsWith(content, PdfSignature) ? null : UploadRefusals.NotA(format),
        DocumentFormat.Docx or DocumentFormat.Odt => ZipRefusal(format, content),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private string? ZipRefusal(DocumentFormat format, Stream content)
    {
        if (!StartsWith(content, ZipSignature))
            return UploadRefusals.NotA(format);

        content.Position = 0;
        try
        {
            // In Read mode on a seekable stream, ZipArchive reads only the central directory;
            // an entry's data is read when the entry is opened.
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            return ArchiveSizeRefusal(zip.Entries)
                ?? (HasFormatMarker(format, zip) ? null : UploadRefusals.NotA(format));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentOutOfRangeException)
        {
            // A truncated archive makes ZipArchive seek before the stream's start; ASP.NET's upload stream
            // reports that as ArgumentOutOfRangeException where a FileStream would throw IOException.
            return UploadRefusals.NotA(format);
        }
    }

    /// <summary>
    /// Zip-bomb guard, judged from the sizes the central directory declares, without unpacking anything.
    /// An archive can lie about its sizes; whatever unpacks it later must stop at the declared Length.
    /// </summary>
    private string? ArchiveSizeRefusal(IReadOnlyCollection<ZipArchiveEntry> entries)
    {
        if (entries.Count > _options.MaxArchiveEntries)
            return UploadRefusals.TooManyParts;

        long declaredTotal = 0;
        foreach (var entry in entries)
        {
            // Written as a subtraction so that the sum cannot overflow; ZipArchive never reports negative sizes.
            if (entry.Length > _options.MaxUnpackedBytes - declaredTotal || IsTooCompressed(entry))
                return UploadRefusals.ExpandsTooMuch;
            declaredTotal += entry.Length;
        }
        return null;
    }

    // Int128, because a forged CompressedLength times the ratio can overflow a long.
    // An entry that declares data from zero compressed bytes counts as infinitely compressed.
    private bool IsTooCompressed(ZipArchiveEntry entry) =>
        entry.Length > (Int128)entry.CompressedLength * _options.MaxCompressionRatio;

    private static bool HasFormatMarker(DocumentFormat format, ZipArchive zip) => format switch
    {
        DocumentFormat.Docx => zip.GetEntry(DocxMainPart) is not null,
        DocumentFormat.Odt => zip.GetEntry(OdtMimetypeEntry) is { } mimetype && HasOdtMimetype(mimetype),
        _ => false,
    };

    /// <summary>Reads one byte more than the expected text, and no more, so a longer entry does not match.</summary>
    private static bool HasOdtMimetype(ZipArchiveEntry mimetype)
    {
        Span<byte> buffer = stackalloc byte[OdtMimetype.Length + 1];
        using var stream = mimetype.Open();
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..read].SequenceEqual(OdtMimetype);
    }

    private static bool StartsWith(Stream content, ReadOnlySpan<byte> signature)
    {
        Span<byte> head = stackalloc byte[signature.Length];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..read].SequenceEqual(signature);
    }
}
