namespace Recruiting.Core.Rights;

/// <summary>
/// What a jobseeker's self-service action came to: done (with what to tell them), refused with a message fit to show
/// (and the form field it concerns, if any), or not found: the id is not theirs, answered like an id that does not exist
/// so that guessing ids tells nothing.
/// </summary>
public sealed record SelfServiceResult(bool Found, string? Refusal, string? Field, string? Message)
{
    public static readonly SelfServiceResult NotFound = new(false, null, null, null);

    public static SelfServiceResult Done(string message) => new(true, null, null, message);

    public static SelfServiceResult Refused(string refusal, string? field = null) => new(true, refusal, field, null);

    public bool Succeeded => Found && Refusal is null;
}
