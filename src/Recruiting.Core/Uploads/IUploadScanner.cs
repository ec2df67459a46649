namespace Recruiting.Core.Uploads;

/// <summary>What a malware scanner says about one upload.</summary>
public enum ScanVerdict
{
    /// <summary>The scanner looked at every byte and found nothing.</summary>
    Clean,

    /// <summary>The scanner matched a signature: the file is refused.</summary>
    Infected,

    /// <summary>
    /// The scanner could not give a verdict (down, too slow, the file over its size limit, an error or an answer we do
    /// not understand). Uploads fail closed on it: nothing unscanned is stored.
    /// </summary>
    Unavailable,
}

/// <summary>
/// The port to a malware scanner. Every uploaded file passes it after the content check and before anything of the
/// upload is stored. Implementations log ids and verdicts only: they never learn the file's name.
/// </summary>
public interface IUploadScanner
{
    /// <summary>Scans <paramref name="content"/> from its current position to its end.</summary>
    /// <returns>Never throws for a scanner failure: that is <see cref="ScanVerdict.Unavailable"/>. Cancelling
    /// <paramref name="cancellationToken"/> (the request is gone) throws as usual.</returns>
    Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken);
}
