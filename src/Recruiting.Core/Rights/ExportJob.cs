using System.IO.Pipelines;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recruiting.Core.Audit;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Core.Privacy;
using Recruiting.Core.Storage;

namespace Recruiting.Core.Rights;

/// <summary>
/// Builds an access request's ZIP (Art. 15, 20). Takes only the request id. The ZIP is streamed into the blob store
/// through a pipe: the ZIP is written on one side while the store reads the other, so neither the ZIP nor any
/// document is ever held in memory whole.
/// </summary>
/// <remarks>
/// Crash-safe: the blob name is saved on the request before a byte is written, so a retried run finds the half-made
/// ZIP, deletes it, and makes a new one; a completed request is left as it is. The result is one ZIP per request.
/// </remarks>
public sealed class ExportJob(
    RecruitingDbContext db,
    ExportBuilder builder,
    IBlobStore blobs,
    IOptions<PrivacyOptions> privacy,
    TimeProvider time,
    ILogger<ExportJob> logger)
{
    /// <summary>How much ZIP may wait in the pipe before the writer pauses for the blob store to catch up.</summary>
    private const long PipeBytes = 512 * 1024;

    /// <summary>
    /// Segments as large as one copy chunk: a few large segments in flight are reused from the array pool, while many
    /// small ones overflow the pool's per-core cache and become garbage in proportion to the export's size.
    /// </summary>
    private const int SegmentBytes = 64 * 1024;

    // One export at a time: exports are rare and heavy, and two runs of one request must not race.
    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)]
    public async Task RunAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == requestId && r.Type == RequestType.Access, cancellationToken);
        if (request is null || !request.IsOpen)
            return; // unknown, or already answered: nothing is owed

        var now = time.GetUtcNow();
        if (request.StartedAt is null)
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestStarted, AuditEvent.SystemActor, null, now,
                requestId: request.Id, applicantId: request.ApplicantId));
        request.Start(now);
        await DeleteUnfinishedZipAsync(request, cancellationToken);

        var applicant = request.ApplicantId is { } applicantId
            ? await db.Applicants.AsNoTracking().SingleOrDefaultAsync(a => a.Id == applicantId, cancellationToken)
            : null;
        if (applicant is null)
        {
            // Their data is gone already: the request is answered with nothing to send.
            request.Complete(now, resultCounts: "applications=0");
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestCompleted, AuditEvent.SystemActor, null, now, requestId: request.Id));
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var blobName = BlobNames.NewExport();
        request.AttachExport(blobName, 0, now.AddDays(privacy.Value.ExportRetentionDays));
        await db.SaveChangesAsync(cancellationToken);

        var package = await builder.LoadAsync(applicant, request.Id, now, cancellationToken);
        var stored = await StreamZipAsync(blobName, package, cancellationToken);

        var done = time.GetUtcNow();
        var counts = package.Data.Counts();
        request.AttachExport(blobName, stored.Size, done.AddDays(privacy.Value.ExportRetentionDays));
        request.Complete(done, resultCounts: AuditEvent.FormatCounts(counts));
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.ExportCreated, AuditEvent.SystemActor, null, done,
            requestId: request.Id, applicantId: applicant.Id, counts: counts));
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.RequestCompleted, AuditEvent.SystemActor, null, done,
            requestId: request.Id, applicantId: applicant.Id, counts: counts));
        db.Notifications.Add(Notification.AboutRequest(NotificationKind.ExportReady, applicant.UserId, request.Id, done));
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Export for request {RequestId} stored as {BlobName}: {Bytes} bytes, {Counts}",
            request.Id, blobName, stored.Size, AuditEvent.FormatCounts(counts));
    }

    /// <summary>A ZIP a previous run began (it crashed or failed before completing) is deleted before a new one is made.</summary>
    private async Task DeleteUnfinishedZipAsync(DataSubjectRequest request, CancellationToken cancellationToken)
    {
        if (request.ExportBlobName is not { } previous)
            return;
        await blobs.DeleteAsync(previous, cancellationToken); // a missing blob counts as deleted
        request.ForgetExport();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Writes the ZIP into a pipe on one task while the blob store reads it on another.</summary>
    private async Task<StoredBlob> StreamZipAsync(string blobName, ExportPackage package, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2,
            minimumSegmentSize: SegmentBytes, useSynchronizationContext: false));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var writing = Task.Run(async () =>
        {
            try
            {
                var output = pipe.Writer.AsStream(leaveOpen: true);
                await using (output)
                    await builder.WriteZipAsync(package, output, failed.Token);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                // The reader sees this exception, so the store never keeps a ZIP cut short.
                await pipe.Writer.CompleteAsync(ex);
                throw;
            }
        }, CancellationToken.None);

        var reading = Task.Run(async () =>
        {
            try
            {
                var input = pipe.Reader.AsStream(leaveOpen: true);
                await using (input)
                {
                    var stored = await blobs.PutAsync(blobName, input, failed.Token);
                    await pipe.Reader.CompleteAsync();
                    return stored;
                }
            }
            catch (Exception ex)
            {
                await failed.CancelAsync(); // stop the writer reading more documents for nobody
                await pipe.Reader.CompleteAsync(ex);
                throw;
            }
        }, CancellationToken.None);

        try
        {
            await Task.WhenAll(writing, reading);
        }
        catch
        {
            // Surface the cause: a writer's own failure (a document that does not match its hash) makes the reader fail
            // too; a reader's failure (the store) cancels the writer.
            var cause = writing.Exception?.InnerException is { } w and not OperationCanceledException
                ? w
                : reading.Exception?.InnerException ?? writing.Exception?.InnerException;
            if (cause is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        return await reading;
    }
}
