using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Recruiting.BrowserTests;

/// <summary>One mail as the app's pickup-folder sender wrote it (see PickupDirectoryMailSender).</summary>
public sealed record SentMail(string FileName, string To, string Subject, string Body)
{
    /// <summary>The first http(s) link in the body whose path starts with <paramref name="pathPrefix"/>.</summary>
    public Uri Link(string pathPrefix) =>
        Regex.Matches(Body, @"https?://\S+").Select(m => new Uri(m.Value))
            .FirstOrDefault(u => u.AbsolutePath.StartsWith(pathPrefix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"The mail \"{Subject}\" has no link to {pathPrefix}:\n{Body}");
}

/// <summary>
/// The app's outgoing mail: .eml files in a folder, written by Hangfire jobs a little after the request that caused
/// them. <see cref="WaitForAsync"/> is a bounded poll for one matching mail.
/// </summary>
public sealed class MailDrop(string directory)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public IReadOnlyList<SentMail> All() =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.eml").Select(TryRead).OfType<SentMail>().ToList()
            : [];

    private static SentMail? TryRead(string path)
    {
        try
        {
            return Read(path);
        }
        catch (FileNotFoundException)
        {
            return null; // replaced by a retried send between listing and reading; the next look finds it
        }
    }

    /// <summary>Waits until exactly one mail matches; fails with the mails that did arrive when none does in time.</summary>
    public async Task<SentMail> WaitForAsync(string to, string subject, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            var all = All();
            var matching = all.Where(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase) && m.Subject == subject).ToList();
            if (matching.Count > 1)
                throw new InvalidOperationException($"{matching.Count} mails \"{subject}\" to {to}, expected one.");
            if (matching.Count == 1)
                return matching[0];
            if (elapsed.Elapsed > limit)
                throw new TimeoutException(
                    $"No mail \"{subject}\" to {to} in {directory} within {limit.TotalSeconds:0} s. Mails there: " +
                    (all.Count == 0 ? "none" : string.Join("; ", all.Select(m => $"\"{m.Subject}\" to {m.To}"))));
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // the poll's interval, not a wait for the app
        }
    }

    /// <summary>Parses the sender's simple format: header lines, an empty line, a plain-text UTF-8 body.</summary>
    private static SentMail Read(string path)
    {
        var text = ReadShared(path);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var headers = head.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new SentMail(Path.GetFileName(path), headers.GetValueOrDefault("To", ""),
            DecodeHeader(headers.GetValueOrDefault("Subject", "")), body.ReplaceLineEndings("\n"));
    }

    private static string ReadShared(string path)
    {
        // The sender writes a .tmp file and renames it, so a listed .eml is complete; still, never lock it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string DecodeHeader(string value)
    {
        var encoded = Regex.Match(value, @"^=\?utf-8\?B\?(?<b64>[A-Za-z0-9+/=]+)\?=$", RegexOptions.IgnoreCase);
        return encoded.Success ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Groups["b64"].Value)) : value;
    }
}

public static class ConfirmationMail
{
    /// <summary>
    /// As a visitor who has just applied: opens the link in their "Confirm your email address" mail, gives the password
    /// they chose on the apply form, presses the button, and lands signed in on My applications.
    /// </summary>
    public static async Task ConfirmAddressAsync(this MailDrop mail, Microsoft.Playwright.IPage page, string email, string password)
    {
        var confirm = await mail.WaitForAsync(email, "Confirm your email address");
        // The mail's links use Portal:PublicUrl, not the test server's random port: follow the path and query only.
        await page.GotoAsync(confirm.Link("/account/confirm-email").PathAndQuery);
        await page.GetByLabel("The password you chose when applying", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Confirm my email address" }).ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading,
            new() { Name = "My applications", Level = 1 })).ToBeVisibleAsync();
    }
}
