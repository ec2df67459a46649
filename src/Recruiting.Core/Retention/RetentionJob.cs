namespace Recruiting.Core.Retention;

/// <summary>The recurring enforcement run (constant id <see cref="RecurringJobId"/>): deletes what is due, in batches.</summary>
public sealed class RetentionJob
{
    public const string RecurringJobId = "retention";

    public Task RunAsync(CancellationToken cancellationToken) => throw new NotImplementedException();
}
