using Recruiting.Core.Data;

namespace Recruiting.UnitTests.Architecture;

/// <summary>
/// The folders of Recruiting.Core (namespaces Recruiting.Core.X) form layers: a folder may use folders below it, never
/// one that uses it back. A cycle means two features can only be understood, changed and tested together. The intended
/// layers are in docs/decisions/0021-core-folder-layering.md.
/// </summary>
public sealed class CoreLayeringTests
{
    private const string CoreNamespace = "Recruiting.Core";

    // Exempt because they must know every feature while no feature's rules depend on them: Data holds
    // RecruitingDbContext, which maps every entity (and every feature reaches its tables through it); the root namespace
    // holds CoreServiceCollectionExtensions, the composition root that registers every feature.
    private static readonly HashSet<string> Exempt = ["Data", FolderGraph.RootFolder];

    [Fact]
    public void Core_folders_have_no_cycles()
    {
        var graph = FolderGraph.Read(typeof(RecruitingDbContext).Assembly.Location, CoreNamespace)
            .Without((from, to, _) => Exempt.Contains(from) || Exempt.Contains(to));

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0,
            "Core folders depend on each other in a cycle; move the types so that each folder only uses folders below it:"
            + Environment.NewLine + string.Join(Environment.NewLine, cycles.Select(graph.Describe)));
    }

    [Fact]
    public void The_graph_is_read_from_the_compiled_core()
    {
        var graph = FolderGraph.Read(typeof(RecruitingDbContext).Assembly.Location, CoreNamespace);

        // The context maps every entity, so Data is seen using the folders that own them, through the context's type.
        Assert.Contains("Postings", graph.Targets("Data"));
        Assert.Contains("Recruiting.Core.Data.RecruitingDbContext -> Recruiting.Core.Postings.JobPosting", graph.Evidence("Data", "Postings"));
        // References inside method bodies count too: the composition root only registers types in its method.
        Assert.Contains("Retention", graph.Targets(FolderGraph.RootFolder));
    }

    [Fact]
    public void A_cycle_is_found_and_named_with_the_references_that_make_it()
    {
        var graph = new FolderGraph();
        graph.Add("Low", "Base", "Low.A -> Base.B");
        graph.Add("High", "Low", "High.C -> Low.A");
        graph.Add("Low", "High", "Low.D -> High.C");
        graph.Add("Other", "Base", "Other.E -> Base.B");

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["High", "Low", "High"], cycle);
        var message = graph.Describe(cycle);
        Assert.Contains("High -> Low -> High", message);
        Assert.Contains("High.C -> Low.A", message);
        Assert.Contains("Low.D -> High.C", message);
        Assert.DoesNotContain("Other", message);
    }

    [Fact]
    public void A_layered_graph_has_no_cycle_and_an_exempt_folder_breaks_the_cycles_through_it()
    {
        var graph = new FolderGraph();
        graph.Add("High", "Low", "High.C -> Low.A");
        graph.Add("Low", "Base", "Low.A -> Base.B");
        Assert.Empty(graph.Cycles());

        graph.Add("Data", "High", "Data.Context -> High.C");
        graph.Add("Base", "Data", "Base.B -> Data.Context");
        Assert.Equal(["Base", "Data", "High", "Low", "Base"], Assert.Single(graph.Cycles()));
        Assert.Empty(graph.Without((from, to, _) => from == "Data" || to == "Data").Cycles());
    }
}
