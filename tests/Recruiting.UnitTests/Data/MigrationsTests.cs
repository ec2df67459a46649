using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;

namespace Recruiting.UnitTests.Data;

/// <summary>Fails when the model changed but a provider has no migration for it: run scripts/add-migration.sh.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new RecruitingDbContext(Recruiting.Migrations.Sqlite.DesignTimeDbContextFactory.Options());
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model has changes without a migration: run scripts/add-migration.sh NAME");
    }

    [Fact]
    public void The_postgresql_migrations_match_the_model()
    {
        using var db = new RecruitingDbContext(Recruiting.Migrations.PostgreSql.DesignTimeDbContextFactory.Options());
        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model has changes without a migration: run scripts/add-migration.sh NAME");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new RecruitingDbContext(Recruiting.Migrations.Sqlite.DesignTimeDbContextFactory.Options());
        using var postgres = new RecruitingDbContext(Recruiting.Migrations.PostgreSql.DesignTimeDbContextFactory.Options());
        static IEnumerable<string> Names(RecruitingDbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Assert.Equal(Names(sqlite), Names(postgres));
    }
}
