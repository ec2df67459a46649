namespace Recruiting.Core.Rights;

/// <summary>Carries out an erasure request (Art. 17). Takes only the request id.</summary>
public sealed class ErasureJob
{
    public Task RunAsync(Guid requestId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
