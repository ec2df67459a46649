using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace Recruiting.Core.Identity;

/// <summary>
/// The password rules beyond Identity's minimum length (12, set with the Identity options): at most
/// <see cref="MaxLength"/> characters, and not one of the most common passwords of public leaks.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<AppUser>
{
    public const int MinLength = 12;

    /// <summary>Long enough for any passphrase or password manager; bounded so hashing cost stays bounded.</summary>
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    /// <summary>How many passwords the shipped list holds (docs/security.md states it).</summary>
    public static int CommonPasswordCount => Common.Value.Count;

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        if (password is null)
            return Task.FromResult(IdentityResult.Success);
        if (password.Length > MaxLength)
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong", Description = $"Passwords must be at most {MaxLength} characters.",
            }));
        if (IsCommon(password))
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooCommon",
                Description = "This password is among the most common ones, which attackers try first. Please choose another.",
            }));
        return Task.FromResult(IdentityResult.Success);
    }

    /// <summary>The embedded list made by scripts/common-passwords.js from zxcvbn's frequency list; compared
    /// case-insensitively, so "Password123456" is as refused as "password123456".</summary>
    private static HashSet<string> LoadCommonPasswords()
    {
        var assembly = typeof(PasswordRules).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("common-passwords.txt", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && !line.StartsWith('#'))
                set.Add(line);
        return set;
    }
}
