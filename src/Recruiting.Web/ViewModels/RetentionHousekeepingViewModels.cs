using System.ComponentModel.DataAnnotations;
using Recruiting.Core.Retention;

namespace Recruiting.Web.ViewModels;

public sealed record HoldsPage(HoldList Holds, string? Error)
{
    /// <summary>A hold placed "until" a date ends at the start of the next day (UTC); shown as the last day it holds.</summary>
    public static string LastDay(DateTimeOffset endsAt) => endsAt.AddTicks(-1).ToString("yyyy-MM-dd");
}

/// <summary>Placing a legal hold: on the holds page by application id, or from a candidate page.</summary>
public sealed class HoldForm
{
    [Display(Name = "Application id")]
    public Guid? ApplicationId { get; set; }

    [Display(Name = "What the hold covers")]
    public HoldScope Scope { get; set; }

    [Display(Name = "Reason (told to the applicant if they ask for erasure)")]
    public string? Reason { get; set; }

    [Display(Name = "Last day of the hold (optional)")]
    public DateOnly? EndsOn { get; set; }

    /// <summary>Posted from the candidate page: go back there rather than to the holds page.</summary>
    public bool FromCandidatePage { get; set; }
}

public sealed record MissingDocumentsPage(MissingDocumentsCheck Check)
{
    public static string ShardName(int shard) => shard.ToString("x2");
}
