using AutoMapper;
using Recruiting.Core.Applications;
using Recruiting.Core.Postings;
using Recruiting.Web.ViewModels;

namespace Recruiting.Web.Infrastructure;

/// <summary>Flat entity-to-view-model maps only (AutoMapper advisory GHSA-rvv3-g6hj-g44x concerns recursive graphs).</summary>
public sealed class MappingProfile : Profile
{
    public MappingProfile()
    {
        CreateMap<JobPosting, PostingSummary>();
        CreateMap<JobPosting, PostingDetails>();
        CreateMap<JobPosting, ManagedPostingRow>();
        CreateMap<JobPosting, PostingForm>();
        CreateMap<ApplicationDocument, DocumentLink>();
        CreateMap<JobApplication, MyApplicationRow>()
            .ForMember(r => r.AccessLog, o => o.Ignore());
        CreateMap<JobApplication, SubmittedPage>()
            .ForMember(p => p.ApplicationId, o => o.MapFrom(a => a.Id));
    }
}
