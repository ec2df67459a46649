using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Identity;
using Recruiting.Infrastructure.Setup;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.ScaleOut;

/// <summary>
/// Instances started together after the migrate command all run the first-run setup on the same empty database.
/// Without turns, the slower one fails to create the roles or the HR account the faster one just made, and exits.
/// </summary>
public sealed class FirstRunRaceTests : IAsyncLifetime
{
    private string _connectionString = "";
    private PortalFactory _portal = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PostgresCluster.Shared.CreateMigratedDatabaseAsync();
        _portal = new PortalFactory
        {
            Settings = { ["Database:Provider"] = "PostgreSql", ["Database:PostgreSqlConnectionString"] = _connectionString },
        };
    }

    public async Task DisposeAsync()
    {
        _portal.Dispose();
        await PostgresCluster.Shared.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task Two_first_runs_at_once_on_one_PostgreSQL_database_both_succeed_and_make_one_HR_account()
    {
        // The host's own first run seeded the database; undone, it is as fresh as the migrate command leaves it.
        await _portal.WithDbAsync(async db =>
        {
            await db.Users.ExecuteDeleteAsync();
            await db.Roles.ExecuteDeleteAsync();
        });

        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = _portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<FirstRun>().RunAsync();
        }));

        await using var check = _portal.Services.CreateAsyncScope();
        var hr = await check.ServiceProvider.GetRequiredService<UserManager<AppUser>>().GetUsersInRoleAsync(Roles.HR);
        Assert.Equal(PortalFactory.HrEmail, Assert.Single(hr).Email);
        Assert.Equal(Roles.All.Count, await _portal.WithDbAsync(db => db.Roles.CountAsync()));
    }
}
