using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Infrastructure.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>The host environment of the repository's own test and benchmark hosts, which read the mail they cause.</summary>
    public const string TestingEnvironment = "Testing";

    /// <summary>SMTP when <c>Mail:Smtp:Host</c> is set; otherwise .eml files in the data folder's <c>mail/</c>.</summary>
    public static IServiceCollection AddRecruitingMail(this IServiceCollection services, IConfiguration configuration,
        DataDirectory dataDirectory)
    {
        if (UsesSmtp(configuration, out var smtp))
        {
            services.AddSingleton(smtp);
            services.AddSingleton<SmtpMailSender>();
            services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<SmtpMailSender>());
            services.AddSingleton<ISentMailCopies>(sp => sp.GetRequiredService<SmtpMailSender>());
            return services;
        }
        services.AddSingleton<ISentMailCopies>(sp => sp.GetRequiredService<PickupDirectoryMailSender>());
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<PickupDirectoryMailSender>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MailOptions>>();
            var folder = string.IsNullOrWhiteSpace(options.Value.PickupDirectory)
                ? dataDirectory.Folder("mail")
                : options.Value.PickupDirectory;
            return new PickupDirectoryMailSender(folder, options, sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>
    /// Why this instance must not start, or null. The pickup folder is for a developer's machine and the test hosts
    /// only: anywhere else it would be a second, unmanaged mailbox of applicants' mails on the server's disk.
    /// </summary>
    public static string? CheckAtStart(IConfiguration configuration, IHostEnvironment environment) =>
        UsesSmtp(configuration, out _) || environment.IsDevelopment() || environment.IsEnvironment(TestingEnvironment)
            ? null
            : $"Mail:Smtp:Host is not set. Mail is written to the pickup folder only in the {Environments.Development} and " +
              $"{TestingEnvironment} environments; in {environment.EnvironmentName} it goes through SMTP: set Mail:Smtp:Host.";

    private static bool UsesSmtp(IConfiguration configuration, out SmtpOptions smtp)
    {
        smtp = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
        return !string.IsNullOrWhiteSpace(smtp.Host);
    }
}
