using AutoMapper;
using Recruiting.Web.Infrastructure;

namespace Recruiting.UnitTests.Web;

public sealed class MappingProfileTests
{
    [Fact]
    public void The_mapping_configuration_is_valid()
    {
        var configuration = new MapperConfiguration(cfg => cfg.AddProfile<MappingProfile>());
        configuration.AssertConfigurationIsValid();
    }
}
