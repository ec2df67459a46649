namespace Recruiting.Infrastructure.Logging;

/// <summary>
/// Framework log categories that write personal data, held at Warning whatever the <c>Logging:LogLevel</c> settings
/// say (these rules are added after the settings', and a rule for the same category added later wins). The
/// LogPrivacyTests found each of them with every category at Trace. Warning is what appsettings.json gives all of
/// Microsoft.AspNetCore anyway, so by default nothing changes; what is lost is only the chance to turn them up.
/// </summary>
public static class PersonalDataLogFilters
{
    public static readonly IReadOnlyList<string> Categories =
    [
        // "Request starting/finished" carry the query string, and the recruiters' candidate search (?q=) holds names.
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        // At Trace, "Executing action method ... with arguments (...)" writes every argument: the search text too.
        "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker",
        // File results write their download name (FileStreamResultExecutor, FileContentResultExecutor): the applicant's file name.
        "Microsoft.AspNetCore.Mvc.Infrastructure.File",
    ];

    public static IServiceCollection AddPersonalDataLogFilters(this IServiceCollection services) =>
        services.Configure<LoggerFilterOptions>(options =>
        {
            foreach (var category in Categories)
                options.AddFilter(category, LogLevel.Warning);
        });
}
