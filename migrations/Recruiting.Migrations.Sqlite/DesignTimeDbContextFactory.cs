using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Recruiting.Core.Data;

namespace Recruiting.Migrations.Sqlite;

/// <summary>Lets `dotnet ef` build the model for this provider without starting the web host; no database is opened.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RecruitingDbContext>
{
    public RecruitingDbContext CreateDbContext(string[] args) => new(Options());

    public static DbContextOptions<RecruitingDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<RecruitingDbContext>();
        builder.UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeDbContextFactory).Assembly.GetName().Name));
        return builder.Options;
    }
}
