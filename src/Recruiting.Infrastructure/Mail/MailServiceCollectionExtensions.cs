using Microsoft.Extensions.Options;
using Recruiting.Core.Notifications;
using Recruiting.Infrastructure.Setup;

namespace Recruiting.Infrastructure.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>SMTP when <c>Mail:Smtp:Host</c> is set; otherwise .eml files in the data folder's <c>mail/</c>.</summary>
    public static IServiceCollection AddRecruitingMail(this IServiceCollection services, IConfiguration configuration,
        DataDirectory dataDirectory)
    {
        var smtp = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
        if (!string.IsNullOrWhiteSpace(smtp.Host))
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
}
