using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Blobs;
using Recruiting.Infrastructure.Data;
using Recruiting.Infrastructure.Jobs;
using Recruiting.Infrastructure.Mail;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    /// <summary>The adapters: database, blob store, mail, Hangfire, Data Protection keys, first-run setup.</summary>
    public static IServiceCollection AddRecruitingInfrastructure(this IServiceCollection services, IConfiguration configuration,
        DataDirectory dataDirectory)
    {
        services.AddSingleton(dataDirectory);
        services.AddRecruitingDatabase(configuration, dataDirectory);
        services.AddBlobStore(configuration, dataDirectory.Path);
        services.AddSingleton<Core.Rights.IErasureScrubber, StaleTempFileScrubber>();
        services.AddRecruitingHangfire(configuration);

        services.Configure<SeedOptions>(configuration.GetSection(SeedOptions.Section));
        services.AddScoped<FirstRun>();

        services.AddSingleton<IMailSender>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>();
            var folder = string.IsNullOrWhiteSpace(options.Value.PickupDirectory)
                ? dataDirectory.Folder("mail")
                : options.Value.PickupDirectory;
            return new PickupDirectoryMailSender(folder, options, sp.GetRequiredService<TimeProvider>());
        });

        services.AddDataProtection()
            .SetApplicationName("Recruiting")
            .PersistKeysToFileSystem(new DirectoryInfo(dataDirectory.Folder("keys")));
        return services;
    }
}
