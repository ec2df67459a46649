using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Postings;

namespace Recruiting.Infrastructure.Setup;

/// <summary>Makes a fresh install usable: roles, the first HR account and, when asked, demo postings.</summary>
public sealed class FirstRun(
    RecruitingDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<SeedOptions> options,
    TimeProvider time,
    ILogger<FirstRun> logger)
{
    /// <summary>An arbitrary constant naming this step's PostgreSQL advisory lock.</summary>
    private const long SeedLockKey = 0x5265_6372_7569_74; // "Recruit"

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        // Instances started together on a freshly migrated database would each find no roles and no HR account, and
        // the slower one would fail to create them again. On PostgreSQL they take turns under an advisory lock held
        // until this transaction ends, so the second finds everything in place. (SQLite is one instance's own file.)
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [SeedLockKey], cancellationToken);
        await SeedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole<Guid>(role)));

        if ((await users.GetUsersInRoleAsync(Roles.HR)).Count == 0)
            await CreateHrAccountAsync();

        if (options.Value.DemoJobs && !await db.JobPostings.AnyAsync(cancellationToken))
            await SeedDemoPostingsAsync(cancellationToken);
    }

    private async Task CreateHrAccountAsync()
    {
        var seed = options.Value;
        var generated = string.IsNullOrEmpty(seed.HrPassword);
        var password = generated ? GeneratePassword() : seed.HrPassword!;
        var hr = new AppUser { UserName = seed.HrEmail, Email = seed.HrEmail, EmailConfirmed = true, CreatedAt = time.GetUtcNow() };
        Check(await users.CreateAsync(hr, password));
        Check(await users.AddToRoleAsync(hr, Roles.HR));
        logger.LogInformation("Created the first HR account {UserId}", hr.Id);
        if (generated)
        {
            // Deliberately the console, not the log: a secret shown once to whoever installs, never kept in log storage.
            Console.WriteLine();
            Console.WriteLine("  First run: created the HR account");
            Console.WriteLine($"    email:    {seed.HrEmail}");
            Console.WriteLine($"    password: {password}");
            Console.WriteLine("  This password is shown only once. Set Seed:HrEmail and Seed:HrPassword to choose your own.");
            Console.WriteLine();
        }
    }

    private async Task SeedDemoPostingsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        (string Title, string Location, string Description)[] demo =
        [
            ("Backend developer (C#/.NET)", "Oslo or remote",
                "Build and run the services behind our products. You know C#, SQL and how to keep personal data safe."),
            ("Customer support specialist", "Bergen",
                "Help our customers succeed: answer questions by phone and email and turn feedback into improvements."),
            ("Payroll accountant", "Trondheim",
                "Own monthly payroll for our staff, work with HR and auditors, and improve our routines."),
        ];
        foreach (var (title, location, description) in demo)
        {
            var posting = JobPosting.Create(title, location, description, now);
            posting.Open(now);
            db.JobPostings.Add(posting);
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} demo postings", demo.Length);
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("First-run setup failed: " + string.Join(", ", result.Errors.Select(e => e.Description)));
    }
}
