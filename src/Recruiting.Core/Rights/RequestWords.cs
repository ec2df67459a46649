namespace Recruiting.Core.Rights;

/// <summary>How requests read to people: in mails to the jobseeker and on HR's desk.</summary>
public static class RequestWords
{
    /// <summary>What the request is about, as the jobseeker reads it: "Your request (correction of your data) …".</summary>
    public static string Of(RequestType type) => type switch
    {
        RequestType.Access => "a copy of your data",
        RequestType.Rectification => "correction of your data",
        RequestType.Erasure => "deletion of your data",
        RequestType.Restriction => "restriction of the processing of your application",
        RequestType.Objection => "objection to the processing of your application",
        RequestType.Question => "privacy question or complaint",
        _ => type.ToString(),
    };

    /// <summary>The column label on HR's desk.</summary>
    public static string Label(RequestType type) => type switch
    {
        RequestType.Access => "Access (export)",
        RequestType.Rectification => "Rectification",
        RequestType.Erasure => "Erasure",
        RequestType.Restriction => "Restriction",
        RequestType.Objection => "Objection",
        RequestType.Question => "Question or complaint",
        _ => type.ToString(),
    };

    public static string Label(RequestStatus status) => status switch
    {
        RequestStatus.Received => "Received",
        RequestStatus.InProgress => "In progress",
        RequestStatus.Completed => "Completed",
        RequestStatus.Refused => "Refused",
        RequestStatus.OnHold => "On hold",
        _ => status.ToString(),
    };

    public static string Label(RequestChannel channel) => channel switch
    {
        RequestChannel.Portal => "Portal (signed in)",
        RequestChannel.WebForm => "Web form (mailbox verified)",
        RequestChannel.Mail => "Email",
        RequestChannel.Phone => "Phone",
        RequestChannel.Post => "Post",
        _ => channel.ToString(),
    };
}
