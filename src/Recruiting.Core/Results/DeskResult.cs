namespace Recruiting.Core.Results;

/// <summary>
/// What an action asked of a desk came to: done (with what to tell the user, if anything), refused with a message fit to
/// show (and the form field it concerns, if any), or not found. An id the user may not see is answered like an id that
/// does not exist, so that guessing ids tells nothing.
/// </summary>
public record DeskResult(bool Found, string? Refusal, string? Field, string? Message)
{
    public static DeskResult NotFound { get; } = new(false, null, null, null);

    public static DeskResult Done(string? message = null) => new(true, null, null, message);

    public static DeskResult Refused(string refusal, string? field = null) => new(true, refusal, field, null);

    /// <summary>Done, with what the action made (the caller shows it or links to it).</summary>
    public static DeskResult<T> Done<T>(T value, string? message = null) => new(value, true, null, null, message);

    public bool Succeeded => Found && Refusal is null;
}

/// <summary>A <see cref="DeskResult"/> that carries what the action made when it was done.</summary>
public sealed record DeskResult<T>(T? Value, bool Found, string? Refusal, string? Field, string? Message)
    : DeskResult(Found, Refusal, Field, Message)
{
    public static new DeskResult<T> NotFound { get; } = new(default, false, null, null, null);

    public static new DeskResult<T> Refused(string refusal, string? field = null) => new(default, true, refusal, field, null);
}
