using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Recruiting.Core.Data;

namespace Recruiting.Core.Rights;

/// <summary>
/// An access or erasure request a visitor made on /privacy/contact, waiting for them to open the link mailed to the
/// address: proof that the mailbox is theirs. Only the token's hash is kept, so the table alone opens nothing. The
/// row holds the address, so it is deleted as soon as the link is used, and once it has expired.
/// </summary>
public class VisitorRequest
{
    public const int TokenBytes = 32;
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    private VisitorRequest() { }

    public Guid Id { get; private set; }
    [PersonalData] public string Email { get; private set; } = "";
    public RequestType Type { get; private set; }

    /// <summary>Hex SHA-256 of the token in the link.</summary>
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The new row and the token for its link; the token is not stored.</summary>
    public static (VisitorRequest Row, string Token) Create(string email, RequestType type, DateTimeOffset now)
    {
        if (type is not (RequestType.Access or RequestType.Erasure))
            throw new ArgumentException("Visitors can ask for access or erasure only.", nameof(type));
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TokenBytes));
        return (new VisitorRequest
        {
            Id = Guid.NewGuid(),
            Email = email.Trim().ToLowerInvariant(),
            Type = type,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + LinkLifetime,
        }, token);
    }

    public bool Opens(string? token, DateTimeOffset now) =>
        now < ExpiresAt && token is { Length: TokenBytes * 2 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(TokenHash));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
