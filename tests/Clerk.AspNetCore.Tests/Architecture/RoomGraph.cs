using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Clerk.AspNetCore.Tests.Architecture;

/// <summary>
/// The package's rooms (its top-level folders) and which room uses which, read from the source with Roslyn's parser:
/// room A depends on room B when code in A names a type declared in B. Comments and strings do not count, because
/// they are not code; <c>nameof</c> and interpolation holes do.
/// </summary>
internal sealed class RoomGraph
{
    /// <summary>The room of files at the project's root.</summary>
    public const string RootRoom = "(root)";

    private RoomGraph(IReadOnlyDictionary<string, string> typeRooms, IReadOnlyDictionary<string, SortedSet<string>> edges,
        IReadOnlyDictionary<(string From, string To), SortedSet<string>> reasons)
    {
        TypeRooms = typeRooms;
        Edges = edges;
        Reasons = reasons;
    }

    /// <summary>Each type's simple name and the room that declares it.</summary>
    public IReadOnlyDictionary<string, string> TypeRooms { get; }

    /// <summary>Each room and the rooms it depends on.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Edges { get; }

    /// <summary>For each dependency, the types used and the file that used them, to make a failure readable.</summary>
    public IReadOnlyDictionary<(string From, string To), SortedSet<string>> Reasons { get; }

    public static RoomGraph Load(string projectDirectory)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(projectDirectory, path))
            .Select(path => (Room: RoomOf(projectDirectory, path), Path: path,
                Root: CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path).GetRoot()))
            .ToList();

        var typeRooms = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (room, path, root) in files)
        {
            foreach (var name in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.ValueText)
                .Concat(root.DescendantNodes().OfType<DelegateDeclarationSyntax>().Select(d => d.Identifier.ValueText)))
            {
                if (typeRooms.TryGetValue(name, out var other) && other != room)
                {
                    throw new InvalidOperationException(
                        $"The type name {name} is declared in two rooms ({other} and {room}); the room graph needs unique type names.");
                }

                typeRooms[name] = room;
            }
        }

        return FromReferences(typeRooms, files.Select(file => (file.Room, Path.GetRelativePath(projectDirectory, file.Path),
            file.Root.DescendantNodes().OfType<SimpleNameSyntax>().Where(NamesAType).Select(n => n.Identifier.ValueText))));
    }

    /// <summary>Builds the graph from names used per file; also how the tests check the cycle finder itself.</summary>
    public static RoomGraph FromReferences(
        IReadOnlyDictionary<string, string> typeRooms,
        IEnumerable<(string Room, string File, IEnumerable<string> Names)> files)
    {
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var reasons = new Dictionary<(string, string), SortedSet<string>>();
        foreach (var room in typeRooms.Values.Distinct())
        {
            edges[room] = new SortedSet<string>(StringComparer.Ordinal);
        }

        foreach (var (room, file, names) in files)
        {
            if (!edges.ContainsKey(room))
            {
                edges[room] = new SortedSet<string>(StringComparer.Ordinal);
            }

            foreach (var name in names)
            {
                if (typeRooms.TryGetValue(name, out var target) && target != room)
                {
                    edges[room].Add(target);
                    if (!reasons.TryGetValue((room, target), out var why))
                    {
                        reasons[(room, target)] = why = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    why.Add($"{name} in {file}");
                }
            }
        }

        return new RoomGraph(typeRooms, edges, reasons);
    }

    /// <summary>Every cycle's rooms, each cycle once (Tarjan's strongly connected components of more than one room).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var lowLinks = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<IReadOnlyList<string>>();

        void Visit(string room)
        {
            indices[room] = lowLinks[room] = index++;
            stack.Push(room);
            onStack.Add(room);
            foreach (var next in Edges[room])
            {
                if (!indices.ContainsKey(next))
                {
                    Visit(next);
                    lowLinks[room] = Math.Min(lowLinks[room], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[room] = Math.Min(lowLinks[room], indices[next]);
                }
            }

            if (lowLinks[room] == indices[room])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != room);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    components.Add(component);
                }
            }
        }

        foreach (var room in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(room))
            {
                Visit(room);
            }
        }

        return components;
    }

    /// <summary>Explains a cycle: each dependency inside it, with the names that make it.</summary>
    public string Explain(IReadOnlyList<string> cycle) => string.Join(Environment.NewLine,
        from source in cycle
        from target in Edges[source]
        where cycle.Contains(target)
        select $"  {source} -> {target}: {string.Join(", ", Reasons[(source, target)].Take(6))}");

    /// <summary>
    /// Whether a name can stand for a type. The member of a member access (<c>options.VisitorCookie</c>), an
    /// argument's name and a property set in an object initializer name members, even when a type has the same name.
    /// </summary>
    private static bool NamesAType(SimpleNameSyntax name) => name.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression == name,
        MemberBindingExpressionSyntax => false,
        NameColonSyntax => false,
        AssignmentExpressionSyntax assignment when assignment.Left == name => assignment.Parent is not InitializerExpressionSyntax,
        _ => true,
    };

    private static string RoomOf(string projectDirectory, string path)
    {
        var relative = Path.GetRelativePath(projectDirectory, path);
        var separator = relative.IndexOfAny(['/', '\\']);
        return separator < 0 ? RootRoom : relative[..separator];
    }

    private static bool IsBuildOutput(string projectDirectory, string path)
    {
        var room = RoomOf(projectDirectory, path);
        return room is "bin" or "obj";
    }
}
