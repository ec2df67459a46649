using System.Collections;
using System.Reflection;
using System.Text.Json;
using Recruiting.Core.Applications;
using Recruiting.Core.Notifications;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Core.Uploads;
using Recruiting.Infrastructure.Blobs;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Jobs;
using Recruiting.Infrastructure.Scanning;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.UnitTests.Web;

/// <summary>Every setting the code reads is in appsettings.sample.json and in the settings table of docs/settings.md,
/// which the README links to.</summary>
public sealed class SettingsDocumentationTests
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (DatabaseOptions.Section, typeof(DatabaseOptions)),
        (BlobStorageOptions.Section, typeof(BlobStorageOptions)),
        (UploadOptions.Section, typeof(UploadOptions)),
        (ClamAvOptions.Section, typeof(ClamAvOptions)),
        (SeedOptions.Section, typeof(SeedOptions)),
        (MailOptions.Section, typeof(MailOptions)),
        (PortalOptions.Section, typeof(PortalOptions)),
        (JobOptions.Section, typeof(JobOptions)),
        (RetentionOptions.Section, typeof(RetentionOptions)),
        (PrivacyOptions.Section, typeof(PrivacyOptions)),
        (Recruiting.Web.Infrastructure.RateLimitOptions.Section, typeof(Recruiting.Web.Infrastructure.RateLimitOptions)),
        (Recruiting.Web.Infrastructure.ProxySettings.Section, typeof(Recruiting.Web.Infrastructure.ProxySettings)),
        (Recruiting.Web.Infrastructure.SessionLifetimeOptions.Section, typeof(Recruiting.Web.Infrastructure.SessionLifetimeOptions)),
    ];

    public static IEnumerable<string> SettingKeys() =>
        Sections.SelectMany(s => Keys(s.Section, s.Options)).Prepend(DataDirectory.Setting);

    private static IEnumerable<string> Keys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var nested = property.PropertyType;
            if (nested.IsClass && nested != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(nested))
                foreach (var inner in Keys(key, nested)) yield return inner;
            else
                yield return key;
        }
    }

    private static string RepoFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Recruiting.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Recruiting.sln not found above the test folder."), name);
    }

    [Fact]
    public void The_sample_settings_file_holds_every_setting()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepoFile("appsettings.sample.json")));
        var missing = SettingKeys().Where(key => !Has(sample.RootElement, key.Split(':'))).ToList();
        Assert.True(missing.Count == 0, "Missing from appsettings.sample.json: " + string.Join(", ", missing));

        static bool Has(JsonElement element, string[] path) =>
            path.Length == 0 || (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(path[0], out var child) && Has(child, path[1..]));
    }

    [Fact]
    public void The_settings_document_explains_every_setting()
    {
        var table = File.ReadAllText(RepoFile(Path.Combine("docs", "settings.md")));
        var missing = SettingKeys().Where(key => !table.Contains($"`{key}`")).ToList();
        Assert.True(missing.Count == 0, "Missing from the settings table in docs/settings.md: " + string.Join(", ", missing));
    }
}
