using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Recruiting.Core.Applications;
using Recruiting.Core.Storage;

namespace Recruiting.Web.Infrastructure;

/// <summary>
/// Reads an upload action's multipart form in one pass: fields into memory, each file straight into the blob store
/// (hashed on the way) as a <see cref="StagedBlob"/>, so a CV is written once, where it stays, instead of being spooled to
/// a temporary file and copied from there. The form then stands in for the request's own, so antiforgery, model binding and
/// every check read it as usual, the files' bytes coming back from the blob store. The request's blobs that no feature
/// kept are deleted when the request ends, whatever its outcome (<see cref="DeleteUnkeptAsync"/>).
/// </summary>
public sealed class StagedUploads
{
    private const long InMemoryBytes = 1024 * 1024;

    private readonly List<StagedBlob> _blobs = [];

    /// <summary>Reads the form of <paramref name="context"/>'s request as described above; throws as reading a form does
    /// (<see cref="InvalidDataException"/> for a form over its limits, <see cref="BadHttpRequestException"/> for a body
    /// over the request's).</summary>
    public static async Task ReadFormAsync(HttpContext context)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            await request.ReadFormAsync(context.RequestAborted); // a form without files: nothing to stage
            return;
        }
        var services = context.RequestServices;
        var limits = services.GetRequiredService<IOptions<FormOptions>>().Value;
        var blobs = services.GetRequiredService<IBlobStore>();
        var cancellationToken = context.RequestAborted;
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > limits.MultipartBoundaryLengthLimit)
            throw new InvalidDataException("The multipart boundary is missing or too long.");

        var staged = new StagedUploads();
        context.Features.Set(staged);
        var reader = new MultipartReader(boundary, request.Body)
        {
            HeadersCountLimit = limits.MultipartHeadersCountLimit,
            HeadersLengthLimit = limits.MultipartHeadersLengthLimit,
            BodyLengthLimit = limits.MultipartBodyLengthLimit,
        };
        var fields = new KeyValueAccumulator();
        var files = new FormFileCollection();
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                throw new InvalidDataException("A form section has no valid Content-Disposition.");
            if (disposition.IsFileDisposition())
            {
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                // A file input left empty arrives as a part without a name or bytes; model binding would skip it too.
                if (string.IsNullOrEmpty(fileName))
                {
                    await section.Body.DrainAsync(cancellationToken);
                    continue;
                }
                var blob = new StagedBlob(await blobs.PutAsync(BlobNames.NewDocument(), section.Body, cancellationToken));
                staged._blobs.Add(blob);
                files.Add(new StagedFormFile(blob, blobs, HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "", fileName,
                    section.ContentType, section.ContentDisposition));
            }
            else if (disposition.IsFormDisposition())
            {
                var field = new FormMultipartSection(section, disposition);
                fields.Append(field.Name, await field.GetValueAsync(cancellationToken));
                if (fields.ValueCount > limits.ValueCountLimit)
                    throw new InvalidDataException($"The form has more than {limits.ValueCountLimit} values.");
            }
            else
                await section.Body.DrainAsync(cancellationToken);
            if (files.Count > limits.ValueCountLimit)
                throw new InvalidDataException($"The form has more than {limits.ValueCountLimit} files.");
        }
        context.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields.HasValues ? fields.GetResults() : null, files)));
    }

    /// <summary>Deletes this request's staged blobs that no feature kept; a failure is logged with the blob name (an id) only.</summary>
    public static async Task DeleteUnkeptAsync(HttpContext context)
    {
        if (context.Features.Get<StagedUploads>() is not { } staged)
            return;
        var blobs = context.RequestServices.GetRequiredService<IBlobStore>();
        foreach (var blob in staged._blobs.Where(b => !b.Kept))
        {
            try
            {
                await blobs.DeleteAsync(blob.Blob.Name, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Left to the orphan sweep, which removes blobs that no row refers to.
                context.RequestServices.GetRequiredService<ILogger<StagedUploads>>()
                    .LogWarning(ex, "Could not remove the unused upload {BlobName}", blob.Blob.Name);
            }
        }
    }

    /// <summary>The file as the form gives it, for an upload action's parameter or form model.</summary>
    public static IncomingFile Incoming(IFormFile file) => file is StagedFormFile staged
        ? new IncomingFile(file.FileName, file.Length, staged.OpenAsync, staged.Blob)
        : new IncomingFile(file.FileName, file.Length, _ => Task.FromResult(file.OpenReadStream()));

    /// <summary>A staged file as <see cref="IFormFile"/>: its bytes are read back from the blob store.</summary>
    private sealed class StagedFormFile(StagedBlob blob, IBlobStore blobs, string name, string fileName, string? contentType,
        string? contentDisposition) : IFormFile
    {
        public StagedBlob Blob { get; } = blob;

        public string ContentType { get; } = contentType ?? "";

        public string ContentDisposition { get; } = contentDisposition ?? "";

        public IHeaderDictionary Headers { get; } = new HeaderDictionary
        {
            [HeaderNames.ContentType] = contentType ?? "",
            [HeaderNames.ContentDisposition] = contentDisposition ?? "",
        };

        public long Length => Blob.Blob.Size;

        public string Name { get; } = name;

        public string FileName { get; } = fileName;

        /// <summary>The bytes, seekable as the content check needs: a filesystem blob is; a download that is not (Azure)
        /// is copied to memory, or to a temporary file past <see cref="InMemoryBytes"/>.</summary>
        public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            var content = await blobs.OpenReadAsync(Blob.Blob.Name, cancellationToken)
                          ?? throw new InvalidOperationException($"The staged upload {Blob.Blob.Name} is gone.");
            if (content.CanSeek)
                return content;
            await using (content)
            {
                var copy = Length <= InMemoryBytes
                    ? new MemoryStream((int)Length)
                    : (Stream)new FileStream(Path.Combine(Path.GetTempPath(), Path.GetRandomFileName()), FileMode.CreateNew,
                        FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
                await content.CopyToAsync(copy, cancellationToken);
                copy.Position = 0;
                return copy;
            }
        }

        // Model binding and antiforgery never read a file's bytes; intake and the CV replacement read them through
        // OpenAsync. These exist for IFormFile's sake.
        public Stream OpenReadStream() => OpenAsync(CancellationToken.None).GetAwaiter().GetResult();

        public void CopyTo(Stream target)
        {
            using var content = OpenReadStream();
            content.CopyTo(target);
        }

        public async Task CopyToAsync(Stream target, CancellationToken cancellationToken = default)
        {
            await using var content = await OpenAsync(cancellationToken);
            await content.CopyToAsync(target, cancellationToken);
        }
    }
}
