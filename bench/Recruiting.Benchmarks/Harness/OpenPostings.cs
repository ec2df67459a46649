using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Data;
using Recruiting.Core.Postings;

namespace Recruiting.Benchmarks.Harness;

/// <summary>Many open postings at once through the app's model and DbContext, for benchmarks where each jobseeker
/// applies once per posting.</summary>
public static class OpenPostings
{
    /// <summary>Creates <paramref name="count"/> open postings titled "<paramref name="titlePrefix"/> 1..count" in one save.</summary>
    public static async Task<List<Guid>> CreateAsync(IServiceProvider services, int count, string titlePrefix, string description,
        CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var now = DateTimeOffset.UtcNow;
        var postings = Enumerable.Range(1, count).Select(i =>
        {
            var posting = JobPosting.Create($"{titlePrefix} {i}", "Oslo", description, now);
            posting.Open(now);
            return posting;
        }).ToList();
        db.JobPostings.AddRange(postings);
        await db.SaveChangesAsync(cancellationToken);
        return postings.Select(p => p.Id).ToList();
    }
}
