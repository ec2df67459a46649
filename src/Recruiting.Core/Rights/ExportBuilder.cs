using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Applications;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>Everything one export holds: data.json's contents, and where each document's bytes are.</summary>
public sealed record ExportPackage(ExportData Data, IReadOnlyList<ExportFile> Files);

public sealed record ExportFile(ExportDocument Document, string BlobName);

/// <summary>
/// Gathers an applicant's data into <see cref="ExportData"/> and writes the "Download my data" ZIP: summary.html,
/// data.json, manifest.json, manifest.csv, then each document under documents/. Every document is streamed from
/// the blob store into the ZIP, its SHA-256 recomputed on the way and compared with the stored one.
/// </summary>
public sealed class ExportBuilder(RecruitingDbContext db, IBlobStore blobs, Retention.DueDates dueDates,
    IOptions<PrivacyOptions> privacy)
{
    public const string DataJson = "data.json";
    public const string SummaryHtml = "summary.html";
    public const string ManifestJson = "manifest.json";
    public const string ManifestCsv = "manifest.csv";
    public const string DocumentsFolder = "documents/";

    private const int CopyBufferSize = 81920;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people and programs, never embedded in HTML: keep "ø" and "&" readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<ExportPackage> LoadAsync(Applicant applicant, Guid requestId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == applicant.UserId, cancellationToken);
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.ApplicantId == applicant.Id)
            .Include(a => a.Documents)
            .Include(a => a.JobPosting)
            .OrderBy(a => a.SubmittedAt)
            .ToListAsync(cancellationToken);
        var applicationIds = applications.Select(a => a.Id).ToList();

        var notes = await db.Notes.AsNoTracking()
            .Where(n => applicationIds.Contains(n.ApplicationId))
            .OrderBy(n => n.CreatedAt)
            .ToListAsync(cancellationToken);
        var authorIds = notes.Select(n => n.AuthorUserId).Distinct().ToList();
        var authorRoles = await db.UserRoles
            .Where(ur => authorIds.Contains(ur.UserId))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
            .ToListAsync(cancellationToken);
        // Staff are named in the portal only by their sign-in address; any they typed into a note is taken out.
        var staffNames = await db.UserRoles
            .Join(db.Roles.Where(r => r.Name == Roles.HR || r.Name == Roles.Recruiter), ur => ur.RoleId, r => r.Id, (ur, r) => ur.UserId)
            .Join(db.Users, id => id, u => u.Id, (id, u) => new { u.Email, u.UserName })
            .ToListAsync(cancellationToken);
        var redactions = staffNames.SelectMany(s => new[] { s.Email, s.UserName })
            .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(s => s.Length).ToList();

        var consents = await db.Consents.AsNoTracking()
            .Where(c => c.ApplicantId == applicant.Id).OrderBy(c => c.GivenAt).ToListAsync(cancellationToken);
        var requests = await db.Requests.AsNoTracking()
            .Where(r => r.ApplicantId == applicant.Id).OrderBy(r => r.ReceivedAt).ToListAsync(cancellationToken);
        var holds = await db.LegalHolds.AsNoTracking()
            .Where(h => h.ApplicantId == applicant.Id || (h.ApplicationId != null && applicationIds.Contains(h.ApplicationId.Value)))
            .OrderBy(h => h.PlacedAt).ToListAsync(cancellationToken);
        var accessLog = await db.AccessLog.AsNoTracking()
            .Where(e => e.ApplicantId == applicant.Id).OrderBy(e => e.At).ToListAsync(cancellationToken);
        var mails = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == applicant.UserId).OrderBy(n => n.CreatedAt).ToListAsync(cancellationToken);

        var files = new List<ExportFile>();
        var exportApplications = new List<ExportApplication>();
        foreach (var application in applications)
        {
            var documents = new List<ExportDocument>();
            var n = 0;
            foreach (var document in application.Documents.OrderBy(d => d.Kind).ThenBy(d => d.UploadedAt).ThenBy(d => d.Id))
            {
                var path = $"{DocumentsFolder}{application.Id}/{++n}-{SafeFileName(document.OriginalFileName)}";
                var exported = new ExportDocument(document.Id, document.Kind.ToString(), document.OriginalFileName,
                    document.ContentType, document.Size, document.Sha256, document.UploadedAt, path);
                documents.Add(exported);
                files.Add(new ExportFile(exported, document.BlobName));
            }
            var applicationNotes = notes.Where(x => x.ApplicationId == application.Id)
                .Select(x => new ExportNote(Redact(x.Text, redactions), x.CreatedAt, x.EditedAt, AuthorRole(x.AuthorUserId)))
                .ToList();
            exportApplications.Add(new ExportApplication(
                application.Id, application.JobPostingId, application.JobPosting.Title, application.Status.ToString(),
                application.SubmittedAt, application.DecisionAt, application.WithdrawnAt, application.DeletionDueAt,
                RetentionRuleText.Describe(application.Status, application.InTalentPool, application.OnLegalHold,
                    await dueDates.PeriodsForAsync(application.JobPostingId, cancellationToken)),
                application.NoticeVersion, application.LegalBasis.ToString(), application.IsRestricted, application.InTalentPool,
                application.OnLegalHold, application.CoverLetter, documents, applicationNotes));
        }

        var data = new ExportData(
            ExportData.CurrentFormatVersion, now, requestId,
            new ExportProfile(applicant.FullName, applicant.Email, applicant.Phone, applicant.Address, applicant.CreatedAt,
                applicant.UpdatedAt,
                new ExportAccount(applicant.UserId, user?.UserName, user?.Email, user?.EmailConfirmed ?? false, user?.PhoneNumber,
                    user?.PhoneNumberConfirmed ?? false, user?.TwoFactorEnabled ?? false, user?.CreatedAt ?? applicant.CreatedAt,
                    user?.LastSignInAt, user?.PendingEmail, user?.PendingEmailRequestedAt)),
            exportApplications,
            consents.Select(c => new ExportConsent(c.Purpose.ToString(), c.ApplicationId, c.TextVersion,
                ConsentText.VersionOf(c.Purpose) == c.TextVersion ? ConsentText.TextOf(c.Purpose) : $"(text version {c.TextVersion})",
                c.GivenAt, c.WithdrawnAt)).ToList(),
            requests.Select(r => new ExportRequest(r.Id, r.Type.ToString(), r.Status.ToString(), r.ApplicationId, r.ReceivedAt, r.DueAt,
                r.ExtendedAt, r.ExtensionReason, r.CompletedAt, r.Answer, r.Details, r.Channel.ToString(), r.IdentityVerification)).ToList(),
            holds.Select(h => new ExportLegalHold(h.ApplicationId, h.Reason, h.PlacedAt, h.EndsAt, h.LiftedAt)).ToList(),
            accessLog.Select(e => new ExportAccessLogEntry(e.ApplicationId, e.ActorRole, e.Action.ToString(), e.DocumentKind?.ToString(), e.At))
                .ToList(),
            mails.Select(m => new ExportMail(m.Kind.ToString(), m.CreatedAt, m.SentAt)).ToList());
        return new ExportPackage(data, files);

        string AuthorRole(Guid authorId)
        {
            var roles = authorRoles.Where(r => r.UserId == authorId).Select(r => r.Name).ToList();
            return roles.Contains(Roles.HR) ? Roles.HR : roles.Contains(Roles.Recruiter) ? Roles.Recruiter : "Staff";
        }
    }

    /// <summary>
    /// Writes the ZIP to <paramref name="output"/> (which need not seek), one entry at a time. Throws
    /// <see cref="InvalidDataException"/> when a document's bytes differ from its stored size or SHA-256.
    /// </summary>
    public async Task WriteZipAsync(ExportPackage package, Stream output, CancellationToken cancellationToken)
    {
        var at = package.Data.GeneratedAt;
        var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        await using (zip)
        {
            await WriteEntryAsync(zip, SummaryHtml, at, (s, ct) => WriteTextAsync(s, ExportSummary.Render(package.Data, privacy.Value), ct),
                cancellationToken);
            await WriteEntryAsync(zip, DataJson, at, (s, ct) => JsonSerializer.SerializeAsync(s, package.Data, Json, ct), cancellationToken);
            var manifest = new ExportManifest(package.Data.FormatVersion, package.Files
                .Select(f => new ExportManifestFile(f.Document.ZipPath, f.Document.OriginalName, f.Document.Size, f.Document.Sha256))
                .ToList());
            await WriteEntryAsync(zip, ManifestJson, at, (s, ct) => JsonSerializer.SerializeAsync(s, manifest, Json, ct), cancellationToken);
            await WriteEntryAsync(zip, ManifestCsv, at, (s, ct) => WriteTextAsync(s, manifest.ToCsv(), ct), cancellationToken);

            foreach (var file in package.Files)
                await WriteDocumentAsync(zip, file, cancellationToken);
        }
    }

    private async Task WriteDocumentAsync(ZipArchive zip, ExportFile file, CancellationToken cancellationToken)
    {
        var document = file.Document;
        var source = await blobs.OpenReadAsync(file.BlobName, cancellationToken)
                     ?? throw new InvalidDataException($"Document {document.Id} has no blob; the export is not made.");
        // CVs are PDF, DOCX or ODT: compressed already, so they are stored as they are.
        var entry = zip.CreateEntry(document.ZipPath, CompressionLevel.NoCompression);
        entry.LastWriteTime = document.UploadedAt;
        var hashing = new HashingReadStream(source);
        await using (hashing)
        {
            var target = await entry.OpenAsync(cancellationToken);
            await using (target)
                await hashing.CopyToAsync(target, CopyBufferSize, cancellationToken);
            if (hashing.BytesRead != document.Size || hashing.Sha256 != document.Sha256)
                throw new InvalidDataException(
                    $"Document {document.Id} does not match its stored size and SHA-256; the export is not made.");
        }
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, DateTimeOffset at, Func<Stream, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = at;
        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream)
            await write(stream, cancellationToken);
    }

    private static async Task WriteTextAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        await using (writer)
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Replaces every staff sign-in name found in the text, so no colleague is named in the export.</summary>
    public static string Redact(string text, IReadOnlyList<string> staffNames)
    {
        foreach (var name in staffNames)
            text = text.Replace(name, "[staff member]", StringComparison.OrdinalIgnoreCase);
        return text;
    }

    /// <summary>
    /// A file name safe in any unzip tool: the last path part, letters, digits, '.', '-' and '_' only (others become '_'),
    /// no leading dot, at most 100 characters with the extension kept; "document" when nothing is left.
    /// </summary>
    public static string SafeFileName(string original)
    {
        var name = (original ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Normalize(NormalizationForm.FormC);
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var keep = char.IsLetterOrDigit(c) || c is '.' or '-' or '_';
            if (keep)
                safe.Append(c);
            else if (safe.Length == 0 || safe[^1] != '_')
                safe.Append('_');
        }
        var result = safe.ToString().Trim('.', '_');
        if (result.Length > 100)
        {
            var extension = Path.GetExtension(result);
            extension = extension.Length is > 0 and <= 10 ? extension : "";
            result = result[..(100 - extension.Length)] + extension;
        }
        return result.Length == 0 ? "document" : result;
    }
}

/// <summary>manifest.json: every document in the ZIP with its original name, size and SHA-256.</summary>
public sealed record ExportManifest(int FormatVersion, IReadOnlyList<ExportManifestFile> Files)
{
    public string ToCsv()
    {
        var csv = new StringBuilder("path,originalName,size,sha256\r\n");
        foreach (var f in Files)
            csv.Append(Quote(f.Path)).Append(',').Append(Quote(f.OriginalName)).Append(',')
                .Append(f.Size.ToString(CultureInfo.InvariantCulture)).Append(',').Append(f.Sha256).Append("\r\n");
        return csv.ToString();
    }

    // RFC 4180, and a leading =, +, - or @ is neutralised so a spreadsheet never runs a file name as a formula.
    private static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}

public sealed record ExportManifestFile(string Path, string OriginalName, long Size, string Sha256);
