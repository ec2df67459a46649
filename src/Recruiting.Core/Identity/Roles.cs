namespace Recruiting.Core.Identity;

public static class Roles
{
    public const string Jobseeker = "Jobseeker";
    public const string Recruiter = "Recruiter";
    public const string HR = "HR";

    public static readonly IReadOnlyList<string> All = [Jobseeker, Recruiter, HR];
}
