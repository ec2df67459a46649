using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Recruiting.Tests.Shared;

/// <summary>Small files, made in memory, to upload in tests: real documents and things that only pretend to be.</summary>
public static class SampleFiles
{
    /// <summary>One entry of a ZIP made by <see cref="Zip"/>.</summary>
    public sealed record ZipItem(string Name, byte[] Content, CompressionLevel Level = CompressionLevel.Optimal)
    {
        public static ZipItem Text(string name, string text, CompressionLevel level = CompressionLevel.Optimal) =>
            new(name, Encoding.UTF8.GetBytes(text), level);
    }

    public const string OdtMimetype = "application/vnd.oasis.opendocument.text";

    /// <summary>
    /// The 68-byte EICAR anti-virus test file: harmless, and detected as malware by agreement. Kept in two halves here so
    /// that a scanner on a developer's machine does not quarantine this source file.
    /// </summary>
    public static byte[] Eicar() => Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>A one-page PDF that says "Jane Doe - Curriculum Vitae", with a correct cross-reference table.</summary>
    public static byte[] Pdf() => Pdf(PdfText(padding: 0).Text.Length);

    /// <summary><see cref="Pdf()"/> with the <see cref="Eicar"/> string in a comment line after the header (offsets stay right).</summary>
    public static byte[] PdfWithEicar() => Encoding.Latin1.GetBytes(PdfText(padding: 0, comment: Encoding.ASCII.GetString(Eicar())).Text);

    /// <summary>
    /// A PDF of exactly <paramref name="totalBytes"/> bytes: <see cref="Pdf()"/> with spaces added to its page's
    /// content stream (still a valid PDF), and a newline or two after %%EOF when needed.
    /// </summary>
    public static byte[] Pdf(int totalBytes)
    {
        var padding = totalBytes - PdfText(0).Text.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(padding, nameof(totalBytes));

        // Padding lengthens the numbers in /Length and startxref: find the most padding that fits.
        while (PdfText(padding).Text.Length + padding > totalBytes)
            padding--;

        var (text, paddingAt) = PdfText(padding);
        var pdf = new byte[totalBytes];
        var rest = pdf.AsSpan();
        rest = rest[Encoding.Latin1.GetBytes(text.AsSpan(0, paddingAt), rest)..];
        rest[..padding].Fill((byte)' ');
        rest = rest[padding..];
        rest = rest[Encoding.Latin1.GetBytes(text.AsSpan(paddingAt), rest)..];
        // When a number gained two digits at once, newlines after %%EOF make up the byte it overshot by.
        rest.Fill((byte)'\n');
        return pdf;
    }

    /// <summary>A minimal WordprocessingML package: content types, package relationships, and a one-paragraph document.</summary>
    public static byte[] Docx() => Zip(DocxParts());

    /// <summary>A minimal ODF text document: stored <c>mimetype</c> first (as ODF requires), manifest, content.</summary>
    public static byte[] Odt() => Zip(OdtParts());

    /// <summary>
    /// A DOCX that also holds 10 MiB of zeros, deflated about 1000:1 into some 10 KB; its central directory
    /// tells the truth about both sizes. That ratio is over the default MaxCompressionRatio (200).
    /// The declared total (10 MiB) is under the default MaxUnpackedBytes (100 MiB): tests of the total lower
    /// that limit instead, because deflating 100+ MiB here would cost seconds per test run.
    /// </summary>
    public static byte[] DocxZipBomb() =>
        Zip([.. DocxParts(), new ZipItem("word/media/zeros.bin", new byte[10 * 1024 * 1024])]);

    /// <summary>A valid <see cref="Docx"/> with one more part, deflated, that holds the <see cref="Eicar"/> string.</summary>
    public static byte[] DocxWithEicar() => Zip([.. DocxParts(), new ZipItem("word/embeddings/test.bin", Eicar())]);

    /// <summary><see cref="Docx"/> with <paramref name="count"/> more small entries.</summary>
    public static byte[] DocxWithExtraEntries(int count) =>
        Zip([.. DocxParts(), .. Enumerable.Range(1, count).Select(i => ZipItem.Text($"customXml/item{i}.xml", "<item/>"))]);

    /// <summary>The start of a Windows executable: DOS header, DOS stub message, PE signature and machine type.</summary>
    public static byte[] Exe()
    {
        var exe = new byte[0x98];
        "MZ"u8.CopyTo(exe);
        exe[0x3C] = 0x80; // e_lfanew: offset of the PE header
        "This program cannot be run in DOS mode.\r\r\n$"u8.CopyTo(exe.AsSpan(0x4E));
        "PE\0\0"u8.CopyTo(exe.AsSpan(0x80));
        BinaryPrimitives.WriteUInt16LittleEndian(exe.AsSpan(0x84), 0x8664); // x64
        return exe;
    }

    public static byte[] Html() => Encoding.UTF8.GetBytes(
        "<!DOCTYPE html>\n<html><head><title>CV</title></head>\n"
        + "<body><h1>Jane Doe</h1><script>fetch('/account/delete', {method: 'POST'})</script></body></html>\n");

    public static byte[] Svg() => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\">"
        + "<script>alert(document.domain)</script><rect width=\"100\" height=\"100\" fill=\"teal\"/></svg>\n");

    /// <summary>A ZIP of <paramref name="items"/>, in order.</summary>
    public static byte[] Zip(params IEnumerable<ZipItem> items)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var item in items)
            {
                // A fixed time keeps the bytes the same from run to run.
                var entry = zip.CreateEntry(item.Name, item.Level);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(item.Content);
            }
        }
        return buffer.ToArray();
    }

    private static ZipItem[] DocxParts() =>
    [
        ZipItem.Text("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
              <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
              <Default Extension="xml" ContentType="application/xml"/>
              <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            </Types>
            """),
        ZipItem.Text("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
              <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
            </Relationships>
            """),
        ZipItem.Text("word/document.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
              <w:body>
                <w:p><w:r><w:t>Jane Doe - Curriculum Vitae</w:t></w:r></w:p>
              </w:body>
            </w:document>
            """),
    ];

    private static ZipItem[] OdtParts() =>
    [
        ZipItem.Text("mimetype", OdtMimetype, CompressionLevel.NoCompression),
        ZipItem.Text("META-INF/manifest.xml", $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
              <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{OdtMimetype}"/>
              <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
            </manifest:manifest>
            """),
        ZipItem.Text("content.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
                xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
              <office:body>
                <office:text>
                  <text:p>Jane Doe - Curriculum Vitae</text:p>
                </office:text>
              </office:body>
            </office:document-content>
            """),
    ];

    /// <summary>
    /// The text of a one-page PDF whose content stream ends in <paramref name="padding"/> spaces, without those
    /// spaces: they go at <c>PaddingAt</c>. Offsets count them. Every character is below U+0100, for Latin-1.
    /// A <paramref name="comment"/> (one line) goes after the header, as a PDF comment.
    /// </summary>
    private static (string Text, int PaddingAt) PdfText(int padding, string? comment = null)
    {
        const string contents = "BT /F1 24 Tf 72 760 Td (Jane Doe - Curriculum Vitae) Tj ET\n";
        const int contentsObject = 3;
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {contents.Length + padding} >>\nstream\n{contents}",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];

        // The second line is the customary comment of high bytes that marks the file as binary.
        var pdf = new StringBuilder("%PDF-1.4\n%\u00E2\u00E3\u00CF\u00D3\n");
        if (comment is not null)
            pdf.Append('%').Append(comment).Append('\n');
        var paddingAt = -1;
        int Offset() => pdf.Length + (paddingAt < 0 ? 0 : padding);

        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Offset());
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}");
            if (i == contentsObject)
            {
                paddingAt = pdf.Length;
                pdf.Append("\nendstream");
            }
            pdf.Append("\nendobj\n");
        }

        var xref = Offset();
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
            pdf.Append($"{offset:D10} 00000 n \n");
        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return (pdf.ToString(), paddingAt);
    }
}
