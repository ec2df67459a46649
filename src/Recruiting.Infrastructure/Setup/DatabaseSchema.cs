using Hangfire.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recruiting.Core.Data;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Jobs;

namespace Recruiting.Infrastructure.Setup;

/// <summary>
/// The schema of the application database and of Hangfire's PostgreSQL storage. On the scale-out profile an operator
/// applies it once with the <c>migrate</c> command; instances only check it, so that several starting together never
/// race to alter it and an upgrade is a step someone chose to take.
/// </summary>
public static class DatabaseSchema
{
    public const string MigrateCommand = "dotnet run --project src/Recruiting.Web -- migrate";

    /// <summary>Applies every pending migration, installs Hangfire's tables and makes the first Data Protection key.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(options.PostgreSqlConnectionString);
            await connection.OpenAsync(cancellationToken);
            // Takes an advisory lock and is a no-op when the schema is current.
            PostgreSqlObjectsInstaller.Install(connection, HangfireSetup.PostgreSqlSchema);
        }
        else
        {
            // WAL lets readers work while one request writes; it is a property of the file, so once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        // Instances that start together on an empty key table would each make a key of their own, and a cookie one
        // of them issued could not be read by another until their key rings refresh. One key made here avoids that.
        scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Recruiting.Migrate").Protect([1]);
    }

    /// <summary>Null when the database is current; otherwise what is missing and the command that applies it.</summary>
    public static async Task<string?> WhatIsBehindAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RecruitingDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
            return null;
        return $"The database schema is behind this version of the portal: {pending.Count} migration(s) not applied "
            + $"({string.Join(", ", pending)}). Run `{MigrateCommand}` with the same settings, then start the portal again.";
    }
}
