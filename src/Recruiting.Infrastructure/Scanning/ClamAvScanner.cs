using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Recruiting.Core.Uploads;

namespace Recruiting.Infrastructure.Scanning;

/// <summary>
/// Scans uploads with a clamd over TCP (INSTREAM). Anything but a clear <c>stream: OK</c> or <c>stream: NAME FOUND</c>
/// within the timeout is <see cref="ScanVerdict.Unavailable"/>, and the upload fails closed. Logs the verdict and
/// clamd's answer (a signature name or an error text from clamd, never anything of the upload).
/// </summary>
public sealed class ClamAvScanner(IOptions<ClamAvOptions> options, ILogger<ClamAvScanner> logger) : IUploadScanner
{
    private const string Ok = "stream: OK";
    private const string StreamPrefix = "stream: ";
    private const string FoundSuffix = " FOUND";
    private const int MaxLoggedReply = 200;

    public async Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        string reply;
        try
        {
            reply = await new ClamdClient(settings.Host, settings.Port).InstreamAsync(content, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Upload scan: no verdict, clamd did not answer within {TimeoutSeconds} s", settings.TimeoutSeconds);
            return ScanVerdict.Unavailable;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            logger.LogError(ex, "Upload scan: no verdict, clamd could not be reached or closed the connection");
            return ScanVerdict.Unavailable;
        }

        var (verdict, detail) = Interpret(reply);
        switch (verdict)
        {
            case ScanVerdict.Clean:
                logger.LogDebug("Upload scan: clean");
                break;
            case ScanVerdict.Infected:
                logger.LogWarning("Upload scan: infected, signature {Signature}", detail);
                break;
            default:
                // "INSTREAM size limit exceeded. ERROR" means clamd's StreamMaxLength is below Uploads:MaxFileBytes.
                logger.LogError("Upload scan: no verdict, clamd answered {Reply}", detail);
                break;
        }
        return verdict;
    }

    /// <summary>The verdict in one clamd INSTREAM answer, and the signature name (infected) or the answer itself (no verdict).</summary>
    public static (ScanVerdict Verdict, string Detail) Interpret(string reply)
    {
        reply = reply.Trim();
        if (reply == Ok)
            return (ScanVerdict.Clean, "");
        if (reply.StartsWith(StreamPrefix, StringComparison.Ordinal) && reply.EndsWith(FoundSuffix, StringComparison.Ordinal)
                                                                     && reply.Length > StreamPrefix.Length + FoundSuffix.Length)
            return (ScanVerdict.Infected, reply[StreamPrefix.Length..^FoundSuffix.Length].Trim());
        return (ScanVerdict.Unavailable, reply.Length <= MaxLoggedReply ? reply : reply[..MaxLoggedReply] + "…");
    }
}
