using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Notifications;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Core.Uploads;

namespace Recruiting.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The model's services and jobs, and the settings sections they read.</summary>
    public static IServiceCollection AddRecruitingCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UploadOptions>(configuration.GetSection(UploadOptions.Section));
        services.Configure<PrivacyOptions>(configuration.GetSection(PrivacyOptions.Section));
        services.Configure<RetentionOptions>(configuration.GetSection(RetentionOptions.Section));
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.Configure<PortalOptions>(configuration.GetSection(PortalOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UploadValidator>();
        services.AddScoped<ApplicationIntake>();
        services.AddScoped<Privacy.PrivacyNotices>();
        services.AddSingleton<Privacy.KeptNotices>();
        services.AddScoped<Review.CandidateDesk>();
        services.AddScoped<Postings.PostingDesk>();
        services.AddScoped<Identity.IStaffRoleHandler>(sp => sp.GetRequiredService<Postings.PostingDesk>());
        services.AddScoped<Postings.IPostingStatusHandler>(sp => sp.GetRequiredService<Rights.TalentPool>());
        services.AddScoped<Postings.IPostingStatusHandler, Retention.PostingRetentionClock>();
        services.AddScoped<Identity.StaffAdmin>();
        services.AddSingleton<NotificationOutbox>();
        services.AddScoped<NotificationJob>();
        AddMailTemplates(services);
        services.AddScoped<ReconcileJob>();
        services.AddScoped<Rights.RequestReconcileJob>();
        services.AddScoped<Retention.PolicyReconcileJob>();
        services.AddScoped<Rights.RightsRequests>();
        services.AddScoped<Rights.ExportJob>();
        services.AddScoped<Rights.ExportBuilder>();
        services.AddScoped<Rights.ExportDownloads>();
        services.AddScoped<Rights.ExpireExportsJob>();
        services.AddScoped<Retention.IExportFiles>(sp => sp.GetRequiredService<Rights.ExpireExportsJob>());
        services.AddScoped<Retention.IInactiveApplicantErasure, Rights.InactiveApplicantErasure>();
        services.AddScoped<Rights.ErasureJob>();
        services.AddSingleton<Rights.RequestClaims>();
        services.AddScoped<Rights.RequestDesk>();
        services.AddScoped<Rights.PrivacyContact>();
        services.AddScoped<Rights.SelfService>();
        services.AddScoped<Rights.TalentPool>();
        services.AddSingleton<Rights.OptOutLinks>();
        services.AddSingleton<Consent.ConsentRenewalLinks>();
        services.AddScoped<Rights.ErasureRequests>();
        services.AddScoped<Identity.EmailConfirmations>();
        services.AddScoped<Rights.EmailChanges>();
        services.AddScoped<Retention.DueDates>();
        services.AddScoped<IReceiptRetention, Retention.ReceiptDating>();
        services.AddScoped<Retention.RetentionPolicies>();
        services.AddScoped<Retention.RetentionJob>();
        services.AddScoped<Retention.ApplicationDeletion>();
        services.AddScoped<Retention.RetentionReport>();
        services.AddScoped<Retention.Housekeeping>();
        services.AddScoped<Retention.OrphanSweepJob>();
        services.AddScoped<Retention.LegalHolds>();
        services.AddScoped<Retention.MissingDocuments>();
        services.AddScoped<Privacy.RecordOfProcessing>();
        return services;
    }

    /// <summary>Every <see cref="IMailTemplate"/> in the model, wherever its feature keeps it.</summary>
    private static void AddMailTemplates(IServiceCollection services)
    {
        var templates = typeof(IMailTemplate).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMailTemplate).IsAssignableFrom(t));
        foreach (var template in templates)
            services.AddScoped(typeof(IMailTemplate), template);
    }
}
