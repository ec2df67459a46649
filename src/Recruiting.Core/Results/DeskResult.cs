namespace Recruiting.Core.Results;

public sealed record DeskResult(bool Found, string? Refusal)
{
    public static readonly DeskResult Done = new(true, null);
    public static readonly DeskResult NotFound = new(false, null);
    public static DeskResult Refused(string refusal) => new(true, refusal);
    public bool Succeeded => Found && Refusal is null;
}
