using System.IO.Compression;
using Microsoft.Extensions.Options;
using Recruiting.Core.Uploads;
using static Recruiting.Tests.Shared.SampleFiles;

namespace Recruiting.UnitTests.Uploads;

public class UploadValidatorTests
{
    private const int MiB = 1024 * 1024;

    // ---- Accepted documents

    [Theory]
    [InlineData("cv.pdf", nameof(Pdf), DocumentFormat.Pdf)]
    [InlineData("cv.docx", nameof(Docx), DocumentFormat.Docx)]
    [InlineData("cv.odt", nameof(Odt), DocumentFormat.Odt)]
    [InlineData("CV.PDF", nameof(Pdf), DocumentFormat.Pdf)]
    [InlineData("Lebenslauf Jürgen Müller.Docx", nameof(Docx), DocumentFormat.Docx)]
    [InlineData("jane.doe.cv.odt", nameof(Odt), DocumentFormat.Odt)]
    [InlineData("履歴書 😀.pdf", nameof(Pdf), DocumentFormat.Pdf)]
    public void Accepts_a_valid_document_and_names_its_format(string fileName, string sample, DocumentFormat format)
    {
        var check = Check(fileName, Sample(sample));

        Assert.True(check.Accepted);
        Assert.Null(check.Refusal);
        Assert.Equal(format, check.Format);
        Assert.Equal(fileName, check.DisplayName);
    }

    [Theory]
    [InlineData("cv.pdf", nameof(Pdf))]
    [InlineData("cv.docx", nameof(Docx))]
    [InlineData("cv.odt", nameof(Odt))]
    [InlineData("cv.pdf", nameof(Exe))]
    public void Reads_from_the_start_and_leaves_the_stream_at_position_0(string fileName, string sample)
    {
        var bytes = Sample(sample);
        using var stream = new MemoryStream(bytes) { Position = 7 };

        var check = Validator().Check(fileName, bytes.Length, stream);

        Assert.Equal(sample != nameof(Exe), check.Accepted);
        Assert.Equal(0, stream.Position);
    }

    // ---- Type: the last extension, and content that matches it

    [Theory]
    [InlineData("cv.pdf.exe", nameof(Pdf))]
    [InlineData("cv.docx.exe", nameof(Docx))]
    [InlineData("cv.exe", nameof(Exe))]
    [InlineData("cv.txt", nameof(Pdf))]
    [InlineData("cv.html", nameof(Html))]
    [InlineData("cv.svg", nameof(Svg))]
    [InlineData("cv.doc", nameof(Docx))]
    [InlineData("cv", nameof(Pdf))]
    [InlineData("cv.pdf.", nameof(Pdf))]
    [InlineData("cv.pdf ", nameof(Pdf))]
    [InlineData("cvpdf", nameof(Pdf))]
    public void Refuses_an_extension_other_than_pdf_docx_or_odt(string fileName, string sample)
    {
        AssertRefused(UploadRefusals.WrongType, Check(fileName, Sample(sample)));
    }

    [Theory]
    [InlineData("cv.pdf", nameof(Exe), DocumentFormat.Pdf)]
    [InlineData("cv.pdf", nameof(Html), DocumentFormat.Pdf)]
    [InlineData("cv.pdf", nameof(Svg), DocumentFormat.Pdf)]
    [InlineData("cv.pdf", nameof(Docx), DocumentFormat.Pdf)]
    [InlineData("cv.pdf", nameof(Odt), DocumentFormat.Pdf)]
    [InlineData("cv.docx", nameof(Odt), DocumentFormat.Docx)]
    [InlineData("cv.docx", nameof(Pdf), DocumentFormat.Docx)]
    [InlineData("cv.docx", nameof(Exe), DocumentFormat.Docx)]
    [InlineData("cv.docx", nameof(Html), DocumentFormat.Docx)]
    [InlineData("cv.odt", nameof(Docx), DocumentFormat.Odt)]
    [InlineData("cv.odt", nameof(Pdf), DocumentFormat.Odt)]
    [InlineData("cv.odt", nameof(Svg), DocumentFormat.Odt)]
    public void Refuses_content_that_is_not_what_the_extension_says(string fileName, string sample, DocumentFormat claimed)
    {
        AssertRefused(UploadRefusals.NotA(claimed), Check(fileName, Sample(sample)));
    }

    [Fact]
    public void Refuses_a_pdf_whose_signature_is_not_at_the_very_start()
    {
        AssertRefused(UploadRefusals.NotA(DocumentFormat.Pdf), Check("cv.pdf", [(byte)' ', .. Pdf()]));
    }

    [Fact]
    public void Refuses_a_docx_without_word_document_xml()
    {
        var zip = Zip(ZipItem.Text("[Content_Types].xml", "<Types/>"), ZipItem.Text("word/other.xml", "<x/>"));

        AssertRefused(UploadRefusals.NotA(DocumentFormat.Docx), Check("cv.docx", zip));
    }

    [Theory]
    [InlineData("application/vnd.oasis.opendocument.spreadsheet")]
    [InlineData("application/vnd.oasis.opendocument.text\n")]
    [InlineData("application/vnd.oasis.opendocument.text-template")]
    [InlineData("application/vnd.oasis.opendocument.tex")]
    [InlineData("APPLICATION/VND.OASIS.OPENDOCUMENT.TEXT")]
    [InlineData("")]
    public void Refuses_an_odt_whose_mimetype_is_not_exactly_odf_text(string mimetype)
    {
        var odt = Zip(ZipItem.Text("mimetype", mimetype, CompressionLevel.NoCompression), ZipItem.Text("content.xml", "<x/>"));

        AssertRefused(UploadRefusals.NotA(DocumentFormat.Odt), Check("cv.odt", odt));
    }

    [Fact]
    public void Refuses_an_odt_without_a_mimetype_entry()
    {
        var odt = Zip(ZipItem.Text("content.xml", "<x/>"), ZipItem.Text("META-INF/manifest.xml", OdtMimetype));

        AssertRefused(UploadRefusals.NotA(DocumentFormat.Odt), Check("cv.odt", odt));
    }

    // ---- Corrupt archives are refused, not thrown

    [Theory]
    [InlineData("cv.docx", DocumentFormat.Docx)]
    [InlineData("cv.odt", DocumentFormat.Odt)]
    public void Refuses_a_zip_cut_short(string fileName, DocumentFormat format)
    {
        var whole = format == DocumentFormat.Docx ? Docx() : Odt();

        // Without its last 30 bytes the end-of-central-directory record is gone.
        AssertRefused(UploadRefusals.NotA(format), Check(fileName, whole[..^30]));
    }

    [Theory]
    [InlineData("cv.docx", DocumentFormat.Docx)]
    [InlineData("cv.odt", DocumentFormat.Odt)]
    public void Refuses_a_zip_signature_followed_by_garbage(string fileName, DocumentFormat format)
    {
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);

        AssertRefused(UploadRefusals.NotA(format), Check(fileName, [0x50, 0x4B, 0x03, 0x04, .. garbage]));
    }

    [Fact]
    public void Refuses_a_docx_whose_central_directory_is_broken()
    {
        var docx = Docx();
        var centralDirectory = IndexOf(docx, [0x50, 0x4B, 0x01, 0x02]);
        docx[centralDirectory] = (byte)'X';

        AssertRefused(UploadRefusals.NotA(DocumentFormat.Docx), Check("cv.docx", docx));
    }

    [Fact]
    public void Refuses_an_odt_whose_mimetype_data_does_not_inflate()
    {
        var odt = Zip(ZipItem.Text("mimetype", OdtMimetype, CompressionLevel.Optimal), ZipItem.Text("content.xml", "<x/>"));
        using (var zip = new ZipArchive(new MemoryStream(odt)))
        {
            // The first entry's data follows its 30-byte local header and 8-byte name.
            var compressed = (int)zip.GetEntry("mimetype")!.CompressedLength;
            odt.AsSpan(38, compressed).Fill(0xFF); // deflate block type 3 is reserved: invalid
        }

        AssertRefused(UploadRefusals.NotA(DocumentFormat.Odt), Check("cv.odt", odt));
    }

    // ---- Size

    [Theory]
    [InlineData("cv.pdf")]
    [InlineData("cv.docx")]
    [InlineData("cv.odt")]
    public void Refuses_an_empty_file(string fileName)
    {
        AssertRefused(UploadRefusals.Empty, Check(fileName, []));
    }

    [Fact]
    public void Accepts_a_file_of_exactly_the_maximum_size()
    {
        var limit = new UploadOptions().MaxFileBytes;

        var check = Check("cv.pdf", Pdf((int)limit));

        Assert.True(check.Accepted, check.Refusal);
    }

    [Fact]
    public void Refuses_a_file_one_byte_over_the_maximum_size_and_names_the_limit()
    {
        var limit = new UploadOptions().MaxFileBytes;

        var check = Check("cv.pdf", Pdf((int)limit + 1));

        AssertRefused("The file is too large: the limit is 10 MB.", check);
    }

    [Fact]
    public void Names_a_limit_that_is_not_a_whole_number_of_megabytes()
    {
        var options = new UploadOptions { MaxFileBytes = 5 * MiB / 2 };

        var check = Check("cv.pdf", Pdf(5 * MiB / 2 + 1), options);

        AssertRefused("The file is too large: the limit is 2.5 MB.", check);
    }

    // ---- Zip bombs, judged from the central directory

    [Fact]
    public void Refuses_a_zip_bomb_by_its_compression_ratio()
    {
        AssertRefused(UploadRefusals.ExpandsTooMuch, Check("cv.docx", DocxZipBomb()));
    }

    [Fact]
    public void Accepts_the_zip_bomb_sample_when_its_ratio_is_allowed()
    {
        // Shows that the sample is otherwise a valid DOCX, so the test above refuses it for its ratio.
        var options = new UploadOptions { MaxCompressionRatio = 2000 };

        Assert.True(Check("cv.docx", DocxZipBomb(), options).Accepted);
    }

    [Fact]
    public void Refuses_a_zip_bomb_by_its_declared_total_size()
    {
        var options = new UploadOptions { MaxCompressionRatio = 2000, MaxUnpackedBytes = 5 * MiB };

        AssertRefused(UploadRefusals.ExpandsTooMuch, Check("cv.docx", DocxZipBomb(), options));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    public void Accepts_a_declared_total_up_to_the_limit(int slack, bool accepted)
    {
        var docx = Docx();
        var options = new UploadOptions { MaxUnpackedBytes = DeclaredTotal(docx) + slack };

        var check = Check("cv.docx", docx, options);

        Assert.Equal(accepted, check.Accepted);
        if (!accepted)
            AssertRefused(UploadRefusals.ExpandsTooMuch, check);
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(2, false)]
    public void Counts_entries_against_the_limit(int maxEntries, bool accepted)
    {
        // The sample DOCX has three entries.
        var check = Check("cv.docx", Docx(), new UploadOptions { MaxArchiveEntries = maxEntries });

        Assert.Equal(accepted, check.Accepted);
        if (!accepted)
            AssertRefused(UploadRefusals.TooManyParts, check);
    }

    [Fact]
    public void Refuses_more_entries_than_the_default_limit()
    {
        var limit = new UploadOptions().MaxArchiveEntries;

        Assert.True(Check("cv.docx", DocxWithExtraEntries(limit - 3)).Accepted);
        AssertRefused(UploadRefusals.TooManyParts, Check("cv.docx", DocxWithExtraEntries(limit - 3 + 1)));
    }

    // ---- File names

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_a_missing_name(string? fileName)
    {
        AssertRefused(UploadRefusals.MissingName, Check(fileName, Pdf()));
    }

    [Fact]
    public void Accepts_a_name_of_255_characters_and_refuses_256()
    {
        Assert.True(Check(new string('a', 251) + ".pdf", Pdf()).Accepted);
        AssertRefused(UploadRefusals.NameTooLong, Check(new string('a', 252) + ".pdf", Pdf()));
    }

    [Theory]
    [InlineData("dir/cv.pdf")]
    [InlineData("/cv.pdf")]
    [InlineData("dir\\cv.pdf")]
    [InlineData("C:\\Users\\jane\\cv.pdf")]
    [InlineData("C:cv.pdf")]
    [InlineData("cv.pdf:hidden")]
    [InlineData("../cv.pdf")]
    [InlineData("..")]
    [InlineData("cv..pdf")]
    public void Refuses_a_name_with_path_parts(string fileName)
    {
        AssertRefused(UploadRefusals.NameHasPath, Check(fileName, Pdf()));
    }

    [Theory]
    [InlineData("cv\0.pdf")]
    [InlineData("cv\t.pdf")]
    [InlineData("cv\r\n.pdf")]
    [InlineData("cv\u001B[31m.pdf")]
    [InlineData("cv\u007F.pdf")]
    [InlineData("cv\u0085.pdf")]
    [InlineData("cv\u2028.pdf")]
    [InlineData("cv\u2029.pdf")]
    public void Refuses_a_name_with_a_control_character(string fileName)
    {
        AssertRefused(UploadRefusals.NameHasHiddenCharacters, Check(fileName, Pdf()));
    }

    [Theory]
    [InlineData('\uD800')]
    [InlineData('\uDC00')]
    public void Refuses_a_name_with_an_unpaired_surrogate_and_replaces_it_for_display(char half)
    {
        // Built here rather than in [InlineData]: attribute strings are stored as UTF-8, which cannot hold half a pair.
        var fileName = "cv" + half + ".pdf";

        var check = Check(fileName, Pdf());

        AssertRefused(UploadRefusals.NameHasHiddenCharacters, check);
        Assert.Equal("cv\uFFFD.pdf", check.DisplayName);
    }

    [Theory]
    [InlineData('\u202A')]
    [InlineData('\u202B')]
    [InlineData('\u202C')]
    [InlineData('\u202D')]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    [InlineData('\u2067')]
    [InlineData('\u2068')]
    [InlineData('\u2069')]
    [InlineData('\u200E')]
    [InlineData('\u200F')]
    [InlineData('\u061C')]
    public void Refuses_a_name_with_a_direction_changing_character(char bidi)
    {
        // With U+202E this is the old trick: "cv" + RLO + "gnp.pdf" shows as "cvfdp.png".
        AssertRefused(UploadRefusals.NameHasHiddenCharacters, Check($"cv{bidi}gnp.pdf", Pdf()));
    }

    [Fact]
    public void Refusal_messages_never_repeat_the_file_name()
    {
        const string marker = "zq7x";
        UploadCheck[] refusals =
        [
            Check($"{marker}.exe", Exe()),
            Check($"{marker}.pdf", Exe()),
            Check($"{marker}.docx", Odt()),
            Check($"{marker}.odt", []),
            Check($"{marker}.docx", DocxZipBomb()),
            Check($"{marker}.pdf", Pdf(11 * MiB)),
            Check($"../{marker}.pdf", Pdf()),
            Check($"{marker}\u202E.pdf", Pdf()),
            Check(new string('x', 300) + marker + ".pdf", Pdf()),
        ];

        Assert.All(refusals, check =>
        {
            Assert.False(check.Accepted);
            Assert.DoesNotContain(marker, check.Refusal);
        });
    }

    // ---- Display name

    [Theory]
    [InlineData("dir/sub\\cv.pdf", "cv.pdf")]
    [InlineData("C:\\Users\\jane\\cv.pdf", "cv.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("cv\u202Egnp.pdf", "cv\uFFFDgnp.pdf")]
    [InlineData("a\0b\r\nc.pdf", "a\uFFFDb\uFFFD\uFFFDc.pdf")]
    [InlineData("\u2066\u2069\u200E\u200F\u061C.pdf", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD.pdf")]
    [InlineData("cv.pdf.exe", "cv.pdf.exe")]
    [InlineData("dir/", "")]
    public void Display_name_is_the_last_segment_with_unsafe_characters_replaced(string fileName, string expected)
    {
        Assert.Equal(expected, Check(fileName, Pdf()).DisplayName);
    }

    [Fact]
    public void Display_name_of_a_missing_name_is_empty()
    {
        Assert.Equal("", Check(null, Pdf()).DisplayName);
    }

    [Fact]
    public void Display_name_is_cut_to_100_characters_with_an_ellipsis()
    {
        var check = Check(new string('a', 300) + ".pdf", Pdf());

        Assert.Equal(new string('a', 99) + "…", check.DisplayName);
    }

    [Fact]
    public void Display_name_is_not_cut_inside_a_surrogate_pair()
    {
        // U+1F600 takes chars 98 and 99, so a cut after 99 chars would leave half of it.
        var check = Check(new string('a', 98) + "😀" + new string('b', 50) + ".pdf", Pdf());

        Assert.Equal(new string('a', 98) + "…", check.DisplayName);
    }

    [Fact]
    public void Display_name_of_an_accepted_name_over_100_characters_is_cut()
    {
        var fileName = new string('a', 146) + ".pdf";

        var check = Check(fileName, Pdf());

        Assert.True(check.Accepted);
        Assert.Equal(100, check.DisplayName.Length);
        Assert.StartsWith(fileName[..99], check.DisplayName);
    }

    // ---- Arguments: a caller's mistake is an exception, not a refusal

    [Fact]
    public void Throws_on_a_stream_that_cannot_seek()
    {
        using var forwardOnly = new GZipStream(new MemoryStream(), CompressionMode.Decompress);

        Assert.Throws<ArgumentException>("content", () => Validator().Check("cv.pdf", 10, forwardOnly));
    }

    [Fact]
    public void Throws_when_the_length_is_not_the_stream_length()
    {
        using var stream = new MemoryStream(Pdf());

        Assert.Throws<ArgumentException>("length", () => Validator().Check("cv.pdf", 0, stream));
    }

    // ---- Formats

    [Theory]
    [InlineData(DocumentFormat.Pdf, "application/pdf", ".pdf")]
    [InlineData(DocumentFormat.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")]
    [InlineData(DocumentFormat.Odt, "application/vnd.oasis.opendocument.text", ".odt")]
    public void Formats_have_a_content_type_and_an_extension(DocumentFormat format, string contentType, string extension)
    {
        Assert.Equal(contentType, DocumentFormats.ContentType(format));
        Assert.Equal(extension, DocumentFormats.Extension(format));
    }

    // ---- Helpers

    private static UploadValidator Validator(UploadOptions? options = null) =>
        new(Options.Create(options ?? new UploadOptions()));

    /// <summary>Checks <paramref name="content"/> as an upload from position 0, and asserts that the stream is left there.</summary>
    private static UploadCheck Check(string? fileName, byte[] content, UploadOptions? options = null)
    {
        using var stream = new MemoryStream(content);
        var check = Validator(options).Check(fileName, stream.Length, stream);
        Assert.Equal(0, stream.Position);
        return check;
    }

    private static void AssertRefused(string expected, UploadCheck check)
    {
        Assert.False(check.Accepted);
        Assert.Equal(expected, check.Refusal);
        Assert.Null(check.Format);
    }

    private static byte[] Sample(string name) => name switch
    {
        nameof(Pdf) => Pdf(),
        nameof(Docx) => Docx(),
        nameof(Odt) => Odt(),
        nameof(Exe) => Exe(),
        nameof(Html) => Html(),
        nameof(Svg) => Svg(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static long DeclaredTotal(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.Sum(entry => entry.Length);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        var index = haystack.AsSpan().IndexOf(needle);
        Assert.True(index >= 0);
        return index;
    }
}
