namespace Recruiting.Core.Notifications;

/// <summary>Settings section <c>Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The From header of every mail.</summary>
    public string From { get; set; } = "Recruiting <no-reply@localhost>";

    /// <summary>Where the embedded default writes .eml files; empty means &lt;DataDirectory&gt;/mail.</summary>
    public string PickupDirectory { get; set; } = "";
}

/// <summary>Settings section <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>The address people reach the portal at, used for links in mail.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";
}
