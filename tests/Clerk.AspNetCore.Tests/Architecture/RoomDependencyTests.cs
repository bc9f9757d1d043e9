using Clerk.AspNetCore.Tests.TestSupport;

namespace Clerk.AspNetCore.Tests.Architecture;

/// <summary>
/// The package's folders ("rooms", see the README's layout) depend on each other in one direction only, and the
/// vocabulary depends on none of them, so that a reader can learn the package room by room.
/// </summary>
public sealed class RoomDependencyTests
{
    private static readonly Lazy<RoomGraph> Package = new(() => RoomGraph.Load(Repository.PathOf("src", "Clerk.AspNetCore")));

    [Fact]
    public void Rooms_OfThePackage_HaveNoCycle()
    {
        var graph = Package.Value;

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0,
            "Folders of src/Clerk.AspNetCore depend on each other in a cycle; move the shared type to the room both use (often Vocabulary):"
            + Environment.NewLine + string.Join(Environment.NewLine, cycles.Select(c => string.Join(" <-> ", c) + Environment.NewLine + graph.Explain(c))));
    }

    [Fact]
    public void Vocabulary_OfThePackage_DependsOnNoOtherRoom()
    {
        var graph = Package.Value;

        Assert.True(graph.Edges.ContainsKey("Vocabulary"), "src/Clerk.AspNetCore/Vocabulary is missing.");
        Assert.True(graph.Edges["Vocabulary"].Count == 0,
            "Vocabulary must depend on no other room, but uses: "
            + string.Join("; ", graph.Edges["Vocabulary"].Select(to => $"{to} ({string.Join(", ", graph.Reasons[("Vocabulary", to)])})")));
    }

    [Theory]
    [InlineData("Api")]
    [InlineData("Visitors")]
    [InlineData("TagHelpers")]
    [InlineData("Delivery")]
    public void Room_UsingProductsVisitorsOrSales_DependsOnVocabulary(string room)
    {
        var graph = Package.Value;

        Assert.Contains("Vocabulary", graph.Edges[room]);
    }

    [Fact]
    public void Rooms_OfThePackage_DependOnlyOnLowerRooms()
    {
        // The order a newcomer reads the package in; each room may use only the rooms above it.
        string[] layers = ["Vocabulary", "Configuration", "Api", "Diagnostics", "Stores", "Sales", "Visitors", "Delivery", "Privacy", "Health", "Feeds", "TagHelpers", "DependencyInjection"];
        var graph = Package.Value;

        Assert.Equal(layers.Order(StringComparer.Ordinal), graph.Edges.Keys.Order(StringComparer.Ordinal));
        var upward = (from room in layers
                      from used in graph.Edges[room]
                      where Array.IndexOf(layers, used) > Array.IndexOf(layers, room)
                      select $"{room} -> {used} ({string.Join(", ", graph.Reasons[(room, used)])})").ToList();
        Assert.True(upward.Count == 0, "A room uses a room below it in the reading order: " + string.Join("; ", upward));
    }

    [Fact]
    public void Cycles_TwoRoomsUsingEachOther_AreFound()
    {
        var types = new Dictionary<string, string> { ["A1"] = "A", ["B1"] = "B", ["C1"] = "C" };
        var graph = RoomGraph.FromReferences(types,
        [
            ("A", "A/x.cs", ["B1"]),
            ("B", "B/y.cs", ["A1", "C1"]),
            ("C", "C/z.cs", []),
        ]);

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["A", "B"], cycle);
        Assert.Contains("A1 in B/y.cs", graph.Explain(cycle), StringComparison.Ordinal);
    }

    [Fact]
    public void Cycles_ThreeRoomsInARing_AreFound()
    {
        var types = new Dictionary<string, string> { ["A1"] = "A", ["B1"] = "B", ["C1"] = "C" };
        var graph = RoomGraph.FromReferences(types,
        [
            ("A", "A/x.cs", ["B1"]),
            ("B", "B/y.cs", ["C1"]),
            ("C", "C/z.cs", ["A1"]),
        ]);

        Assert.Equal(["A", "B", "C"], Assert.Single(graph.Cycles()));
    }

    [Fact]
    public void Load_NamesInCommentsAndStrings_AreNotDependencies()
    {
        var directory = Directory.CreateTempSubdirectory("rooms");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "A"));
            Directory.CreateDirectory(Path.Combine(directory.FullName, "B"));
            File.WriteAllText(Path.Combine(directory.FullName, "A", "One.cs"),
                "class One { /* Two */ string S = \"Two\"; string T = $\"{nameof(Three)}\"; }");
            File.WriteAllText(Path.Combine(directory.FullName, "B", "Two.cs"), "class Two { } class Three { }");

            var graph = RoomGraph.Load(directory.FullName);

            Assert.Equal(["B"], graph.Edges["A"]);
            Assert.Equal(["Three in A/One.cs"], graph.Reasons[("A", "B")]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
