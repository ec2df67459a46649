using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Applications;
using Recruiting.Core.Data;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Retention;

public sealed record MissingDocument(Guid ApplicationId, Guid DocumentId, DocumentKind Kind, DateTimeOffset UploadedAt);

/// <summary>One look through part of the store: what was missing, and where the next look starts (null: finished).</summary>
public sealed record MissingDocumentsCheck(IReadOnlyList<MissingDocument> Missing, int FromShard, int? NextShard, int Checked);

/// <summary>
/// Finds document rows whose blob is missing, for HR's report. Computed when the page is opened, not stored: document
/// blob names are "documents/" and 32 hex digits, so the store is checked in 256 shards by the first two digits, each
/// one listing of the store's shard against one range read of the unique blob-name index. A page checks shards until
/// it has looked at <see cref="RowsPerCheck"/> rows and says where to go on; a small portal is checked in one go.
/// </summary>
public sealed class MissingDocuments(RecruitingDbContext db, IBlobStore blobs)
{
    public const int Shards = 256;
    public const int RowsPerCheck = 5000;

    public async Task<MissingDocumentsCheck> CheckAsync(int fromShard, CancellationToken cancellationToken)
    {
        fromShard = Math.Clamp(fromShard, 0, Shards - 1);
        var missing = new List<MissingDocument>();
        var checkedRows = 0;
        var shard = fromShard;
        for (; shard < Shards && checkedRows < RowsPerCheck; shard++)
        {
            var prefix = $"documents/{shard:x2}";
            // Hex digits sort before 'g' in every collation, so this range is exactly the shard's names.
            var upper = prefix + "g";
            var rows = await db.Documents
                .Where(d => string.Compare(d.BlobName, prefix) >= 0 && string.Compare(d.BlobName, upper) < 0)
                .Select(d => new { d.BlobName, Document = new MissingDocument(d.ApplicationId, d.Id, d.Kind, d.UploadedAt) })
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
                continue;
            var stored = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var blob in blobs.ListAsync(prefix, cancellationToken))
                stored.Add(blob.Name);
            missing.AddRange(rows.Where(r => !stored.Contains(r.BlobName)).Select(r => r.Document));
            checkedRows += rows.Count;
        }
        return new MissingDocumentsCheck(missing.OrderBy(m => m.UploadedAt).ToList(), fromShard, shard < Shards ? shard : null, checkedRows);
    }
}
