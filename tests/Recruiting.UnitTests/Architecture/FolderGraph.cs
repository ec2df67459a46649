using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Recruiting.UnitTests.Architecture;

/// <summary>
/// Which folder (first namespace segment under a root namespace) uses which, and through which type references.
/// Read from the compiled assembly, so lambdas, async state machines and method bodies count like the code that wrote them.
/// </summary>
public sealed class FolderGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);

    public IEnumerable<string> Folders => edges.Keys.Concat(edges.Values.SelectMany(e => e.Keys)).Distinct().Order(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Targets(string from) =>
        edges.TryGetValue(from, out var targets) ? targets.Keys : Array.Empty<string>();

    /// <summary>The type references (as "User -> Used") that make the edge from one folder to another.</summary>
    public IReadOnlyCollection<string> Evidence(string from, string to) =>
        edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var evidence) ? evidence : Array.Empty<string>();

    public void Add(string from, string to, string evidence)
    {
        if (from == to) return;
        if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new(StringComparer.Ordinal);
        if (!targets.TryGetValue(to, out var set)) targets[to] = set = new(StringComparer.Ordinal);
        set.Add(evidence);
    }

    /// <summary>A copy without the type references the predicate excludes (given the two folders and the reference).</summary>
    public FolderGraph Without(Func<string, string, string, bool> excluded)
    {
        var copy = new FolderGraph();
        foreach (var (from, targets) in edges)
            foreach (var (to, evidence) in targets)
                foreach (var e in evidence)
                    if (!excluded(from, to, e)) copy.Add(from, to, e);
        return copy;
    }

    /// <summary>One cycle per strongly connected group of folders (Tarjan), each as the folders in order, first repeated at the end.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var groups = new List<HashSet<string>>();

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Targets(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var group = new HashSet<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); group.Add(x); } while (x != v);
            if (group.Count > 1) groups.Add(group);
        }

        foreach (var folder in Folders) if (!index.ContainsKey(folder)) Visit(folder);
        return groups.Select(CycleWithin).ToList();
    }

    // A shortest way back to the start inside the group, so the message names a real cycle, not just a set.
    private IReadOnlyList<string> CycleWithin(HashSet<string> group)
    {
        var start = group.Min(StringComparer.Ordinal)!;
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in Targets(v).Where(group.Contains))
            {
                if (w == start)
                {
                    var path = new List<string> { start };
                    for (var at = v; at != start; at = previous[at]) path.Insert(1, at);
                    path.Add(start);
                    return path;
                }
                if (previous.TryAdd(w, v)) queue.Enqueue(w);
            }
        }
        throw new InvalidOperationException("A strongly connected group always has a cycle through each member.");
    }

    public string Describe(IReadOnlyList<string> cycle)
    {
        var lines = new List<string> { string.Join(" -> ", cycle) };
        for (var i = 0; i + 1 < cycle.Count; i++)
        {
            lines.Add($"  {cycle[i]} -> {cycle[i + 1]}:");
            lines.AddRange(Evidence(cycle[i], cycle[i + 1]).Select(e => "    " + e));
        }
        return string.Join(Environment.NewLine, lines);
    }

    public static FolderGraph Read(string assemblyPath, string rootNamespace)
    {
        var graph = new FolderGraph();
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            var user = Outermost(type);
            var from = FolderOf(user.Namespace, rootNamespace);
            if (from is null) continue;
            foreach (var used in ReferencedTypes(type))
            {
                var target = Outermost(used);
                var to = FolderOf(target.Namespace, rootNamespace);
                if (to is not null && to != from) graph.Add(from, to, $"{user.FullName} -> {target.FullName}");
            }
        }
        return graph;
    }

    // "Recruiting.Core.Rights.Export" -> "Rights"; the root namespace itself is the folder "(root)"; other namespaces are not ours.
    private static string? FolderOf(string ns, string root)
    {
        if (ns == root) return RootFolder;
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal)) return null;
        return ns[(root.Length + 1)..].Split('.')[0];
    }

    public const string RootFolder = "(root)";

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static IEnumerable<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments) Add(a);
                    return;
                case TypeSpecification s: Add(s.ElementType); return;
                case GenericParameter: return;
                default: found.Add(t); return;
            }
        }
        void AddAttributes(ICustomAttributeProvider provider)
        {
            foreach (var attribute in provider.CustomAttributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments) if (argument.Value is TypeReference t) Add(t);
            }
        }
        void AddMethod(MethodReference m)
        {
            Add(m.DeclaringType);
            Add(m.ReturnType);
            foreach (var p in m.Parameters) Add(p.ParameterType);
            if (m is GenericInstanceMethod gm) foreach (var a in gm.GenericArguments) Add(a);
        }

        Add(type.BaseType);
        foreach (var i in type.Interfaces) Add(i.InterfaceType);
        AddAttributes(type);
        foreach (var gp in type.GenericParameters) foreach (var c in gp.Constraints) Add(c.ConstraintType);
        foreach (var field in type.Fields) { Add(field.FieldType); AddAttributes(field); }
        foreach (var property in type.Properties) { Add(property.PropertyType); AddAttributes(property); }
        foreach (var e in type.Events) Add(e.EventType);
        foreach (var method in type.Methods)
        {
            AddMethod(method);
            AddAttributes(method);
            foreach (var p in method.Parameters) AddAttributes(p);
            foreach (var gp in method.GenericParameters) foreach (var c in gp.Constraints) Add(c.ConstraintType);
            if (!method.HasBody) continue;
            foreach (var v in method.Body.Variables) Add(v.VariableType);
            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t: Add(t); break;
                    case MethodReference m: AddMethod(m); break;
                    case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                }
            }
        }
        return found;
    }
}
