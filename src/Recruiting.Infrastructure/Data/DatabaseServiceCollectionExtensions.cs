using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Infrastructure.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "Recruiting.Migrations.Sqlite";
    public const string PostgreSqlMigrationsAssembly = "Recruiting.Migrations.PostgreSql";

    public static IServiceCollection AddRecruitingDatabase(this IServiceCollection services, DatabaseOptions options,
        DataDirectory dataDirectory)
    {
        services.AddSingleton(options);
        if (options.Provider == DatabaseProvider.Sqlite)
            services.AddScoped<Core.Storage.IErasureScrubber, SqliteWalCheckpoint>();
        // Pooled: building a context's options and services on every request cost more than the queries it then ran.
        // The context holds no state of its own between requests (EF resets its tracker and settings on return).
        services.AddDbContextPool<RecruitingDbContext>((provider, builder) =>
        {
            Configure(builder, options, dataDirectory);
            // Hosts that run jobs hand owed mail to them after each commit; tools that only read or seed owe none.
            if (provider.GetService<NotificationOutbox>() is { } outbox)
                builder.AddInterceptors(outbox);
            // Naming this host's logger factory keeps EF from sharing one cached internal service provider (and the
            // logger factory it captured) between hosts in one process, e.g. test servers, where a disposed host's
            // factory would otherwise be used by a live one.
            builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>());
        });
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, DataDirectory dataDirectory)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = Path.Combine(dataDirectory.Path, "recruiting.db");
                builder.UseSqlite($"Data Source={file}", sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                    .AddInterceptors(SqlitePragmas.Instance, SqliteWriteGate.For(file));
                break;
            case DatabaseProvider.PostgreSql:
                if (string.IsNullOrWhiteSpace(options.PostgreSqlConnectionString))
                    throw new InvalidOperationException(
                        "Database:Provider is PostgreSql but Database:PostgreSqlConnectionString is empty.");
                builder.UseNpgsql(options.PostgreSqlConnectionString,
                    npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }
    }
}
