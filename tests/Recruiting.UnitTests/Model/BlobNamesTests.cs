using Recruiting.Core.Storage;

namespace Recruiting.UnitTests.Model;

public sealed class BlobNamesTests
{
    [Fact]
    public void Generated_names_are_valid_and_unique()
    {
        var a = BlobNames.NewDocument();
        var b = BlobNames.NewDocument();
        Assert.True(BlobNames.IsValid(a));
        Assert.True(BlobNames.IsValid(BlobNames.NewExport()));
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("documents/Ada CV.pdf")]
    [InlineData("documents/../../x")]
    [InlineData("documents")]
    [InlineData("/documents/abc")]
    public void Names_from_anywhere_else_are_not_valid(string name) => Assert.False(BlobNames.IsValid(name));
}
