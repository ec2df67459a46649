namespace Recruiting.Infrastructure.Setup;

/// <summary>Settings section <c>Seed</c>: what a fresh install starts with.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Email of the HR account created on first run.</summary>
    public string HrEmail { get; set; } = "hr@localhost";

    /// <summary>Its password; when unset, one is generated and printed once to the console.</summary>
    public string? HrPassword { get; set; }

    /// <summary>Seed a few open postings into an empty database.</summary>
    public bool DemoJobs { get; set; }
}
