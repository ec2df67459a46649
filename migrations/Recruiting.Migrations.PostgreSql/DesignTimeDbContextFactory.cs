using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Recruiting.Core.Data;

namespace Recruiting.Migrations.PostgreSql;

/// <summary>Lets `dotnet ef` build the model for this provider without starting the web host; no database is opened.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RecruitingDbContext>
{
    public RecruitingDbContext CreateDbContext(string[] args) => new(Options());

    public static DbContextOptions<RecruitingDbContext> Options()
    {
        var builder = new DbContextOptionsBuilder<RecruitingDbContext>();
        builder.UseNpgsql("Host=localhost;Database=recruiting_design", o => o.MigrationsAssembly(typeof(DesignTimeDbContextFactory).Assembly.GetName().Name));
        return builder.Options;
    }
}
