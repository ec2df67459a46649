namespace Recruiting.Core.Privacy;

/// <summary>
/// The applicant privacy notice (GDPR Art. 13). Its text lives in Views/Shared/_PrivacyNotice.cshtml;
/// change <see cref="CurrentVersion"/> whenever that text changes, because each application records the version it was shown.
/// </summary>
public static class PrivacyNotice
{
    public const string CurrentVersion = "2026-11-29";
}

/// <summary>Settings section <c>Privacy</c>: the facts the notice states about the controller.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    public string ControllerName { get; set; } = "";
    public string ControllerAddress { get; set; } = "";
    public string ContactEmail { get; set; } = "";
    public string SupervisoryAuthority { get; set; } = "";

    /// <summary>Days a "Download my data" ZIP is kept before it is deleted.</summary>
    public int ExportRetentionDays { get; set; } = 7;

    /// <summary>Days the one-click opt-out link in a talent-pool mail keeps working.</summary>
    public int OptOutLinkDays { get; set; } = 60;
    public List<SubProcessor> SubProcessors { get; set; } = [];
}

public sealed class SubProcessor
{
    public string Name { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Location { get; set; } = "";
}
