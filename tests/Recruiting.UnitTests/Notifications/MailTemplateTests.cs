using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core;
using Recruiting.Core.Notifications;

namespace Recruiting.UnitTests.Notifications;

public sealed class MailTemplateTests
{
    private static readonly IReadOnlyList<Type> Templates = typeof(IMailTemplate).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMailTemplate).IsAssignableFrom(t))
        .ToList();

    [Fact]
    public void Every_notification_kind_has_exactly_one_template()
    {
        // A template's kind is a constant of its class, so an instance without its services can say which it is.
        var kinds = Templates.Select(t => ((IMailTemplate)RuntimeHelpers.GetUninitializedObject(t)).Kind).ToList();

        Assert.Equal(Enum.GetValues<NotificationKind>().Order(), kinds.Order());
    }

    [Fact]
    public void Every_template_is_registered()
    {
        var services = new ServiceCollection().AddRecruitingCore(new ConfigurationBuilder().Build());

        var registered = services.Where(s => s.ServiceType == typeof(IMailTemplate)).Select(s => s.ImplementationType!);
        Assert.Equal(Templates.OrderBy(t => t.FullName), registered.OrderBy(t => t!.FullName));
    }

    [Fact]
    public void Templates_live_with_their_features_not_in_notifications()
    {
        Assert.All(Templates, t => Assert.NotEqual(typeof(IMailTemplate).Namespace, t.Namespace));
    }
}
