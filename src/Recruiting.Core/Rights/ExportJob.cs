namespace Recruiting.Core.Rights;

/// <summary>Builds an access request's ZIP (Art. 15, 20). Takes only the request id.</summary>
public sealed class ExportJob
{
    public Task RunAsync(Guid requestId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
