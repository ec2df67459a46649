using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Recruiting.Core.Storage;

namespace Recruiting.Benchmarks.Intake;

/// <summary>
/// The intake baseline: a bare endpoint on a minimal Kestrel app in the benchmark's process, 127.0.0.1. <c>POST
/// /bare/apply</c> reads the same multipart body with <see cref="MultipartReader"/> (streamed, nothing buffered), puts the
/// file section into the portal's own <see cref="IBlobStore"/> (the same folder as the portal's CVs, under a generated
/// document name) and inserts one row with plain ADO.NET (Microsoft.Data.Sqlite) into the portal's SQLite file, with the
/// app's connection pragmas. No antiforgery, no account, no validation, no EF, no jobs: what is left of an application
/// without the framework.
/// </summary>
public sealed class BareIntake : IAsyncDisposable
{
    public const string Table = "BenchBareApplications";
    private readonly WebApplication _app;

    private BareIntake(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareIntake> StartAsync(IBlobStore blobs, string databaseFile, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile }.ToString();
        await using (var connection = await OpenAsync(connectionString, cancellationToken))
        {
            await using var create = connection.CreateCommand();
            create.CommandText = $"""
                CREATE TABLE IF NOT EXISTS "{Table}" ("Id" TEXT NOT NULL PRIMARY KEY, "FullName" TEXT NOT NULL, "Email" TEXT NOT NULL,
                  "Phone" TEXT NOT NULL, "Address" TEXT, "CoverLetter" TEXT NOT NULL, "BlobName" TEXT NOT NULL, "Size" INTEGER NOT NULL,
                  "Sha256" TEXT NOT NULL, "SubmittedAt" INTEGER NOT NULL)
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/bare/apply", (Func<HttpContext, Task<IResult>>)(context => ApplyAsync(context, blobs, connectionString)));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new BareIntake(app, new Uri(address + "/"));
    }

    private static async Task<IResult> ApplyAsync(HttpContext context, IBlobStore blobs, string connectionString)
    {
        var cancellationToken = context.RequestAborted;
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return Results.BadRequest();
        var reader = new MultipartReader(boundary, context.Request.Body);
        var fields = new Dictionary<string, string>();
        StoredBlob? blob = null;
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                return Results.BadRequest();
            if (disposition.IsFileDisposition())
                blob = await blobs.PutAsync(BlobNames.NewDocument(), section.Body, cancellationToken);
            else
                using (var text = new StreamReader(section.Body))
                    fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? ""] = await text.ReadToEndAsync(cancellationToken);
        }
        if (blob is null)
            return Results.BadRequest();

        var id = Guid.NewGuid();
        await using var connection = await OpenAsync(connectionString, cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO "{Table}" ("Id", "FullName", "Email", "Phone", "Address", "CoverLetter", "BlobName", "Size", "Sha256", "SubmittedAt")
            VALUES ($id, $name, $email, $phone, $address, $letter, $blob, $size, $sha, $at)
            """;
        insert.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        insert.Parameters.AddWithValue("$name", fields.GetValueOrDefault("FullName", ""));
        insert.Parameters.AddWithValue("$email", fields.GetValueOrDefault("Email", ""));
        insert.Parameters.AddWithValue("$phone", fields.GetValueOrDefault("Phone", ""));
        insert.Parameters.AddWithValue("$address", fields.GetValueOrDefault("Address", ""));
        insert.Parameters.AddWithValue("$letter", fields.GetValueOrDefault("CoverLetter", ""));
        insert.Parameters.AddWithValue("$blob", blob.Name);
        insert.Parameters.AddWithValue("$size", blob.Size);
        insert.Parameters.AddWithValue("$sha", blob.Sha256);
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return Results.Created($"/bare/applications/{id}", null);
    }

    /// <summary>A pooled connection with the pragmas the app sets on each of its own (SqlitePragmas).</summary>
    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = Recruiting.Infrastructure.Data.SqlitePragmas.Pragmas;
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
