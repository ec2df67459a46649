using System.Text;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// A person's details as the bytes they could be stored as: each text as typed, lower- and upper-cased (Identity keeps
/// normalised copies), in UTF-8 and UTF-16LE; and raw bytes such as a document's. Finds them in files and in text.
/// </summary>
internal sealed class Traces
{
    private readonly List<(string What, byte[] Bytes)> _needles = [];
    private readonly List<(string What, string Text)> _texts = [];

    public Traces Text(string what, string value)
    {
        _texts.Add((what, value));
        foreach (var variant in new[] { value, value.ToLowerInvariant(), value.ToUpperInvariant() }.Distinct())
        {
            _needles.Add(($"{what} (UTF-8)", Encoding.UTF8.GetBytes(variant)));
            _needles.Add(($"{what} (UTF-16LE)", Encoding.Unicode.GetBytes(variant)));
        }
        return this;
    }

    public Traces Bytes(string what, byte[] bytes)
    {
        _needles.Add((what, bytes));
        return this;
    }

    /// <summary>"file: what" for every needle found in any file under <paramref name="root"/>, skipping the named sub-folders.</summary>
    public IReadOnlyList<string> InFolder(string root, params string[] skipFolders)
    {
        var skipped = skipFolders.Select(f => Path.GetFullPath(Path.Combine(root, f)) + Path.DirectorySeparatorChar).ToList();
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            if (skipped.Any(s => Path.GetFullPath(file).StartsWith(s, StringComparison.Ordinal)))
                continue;
            var bytes = ReadShared(file);
            found.AddRange(_needles.Where(n => bytes.AsSpan().IndexOf(n.Bytes) >= 0)
                .Select(n => $"{Path.GetRelativePath(root, file)}: {n.What}"));
        }
        return found;
    }

    /// <summary>"where: what" for every text found (ignoring case) in <paramref name="texts"/>.</summary>
    public IReadOnlyList<string> InText(string where, IEnumerable<string> texts)
    {
        var all = texts.ToList();
        return _texts.Where(t => all.Any(text => text.Contains(t.Text, StringComparison.OrdinalIgnoreCase)))
            .Select(t => $"{where}: {t.What}").ToList();
    }

    /// <summary>Reads a file another process (or this one's SQLite connections) may hold open.</summary>
    private static byte[] ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            return []; // gone between listing and reading: it holds nothing any more
        }
    }
}
