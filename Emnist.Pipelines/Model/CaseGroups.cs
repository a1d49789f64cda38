namespace Emnist.Pipelines.Model;

/// <summary>
/// Characters that look the same in handwriting (o/O/0, l/I/1, c/C, …). Confusing them is counted separately,
/// because no image can tell them apart reliably.
/// </summary>
public static class CaseGroups
{
    /// <summary>The groups, each a string of look-alike characters.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["oO0", "lI1", "cC", "kK", "mM", "pP", "sS", "uU", "vV", "wW", "xX", "yY", "zZ"];

    /// <summary>The group containing <paramref name="label"/>, or null.</summary>
    public static string? Of(string label) =>
        label.Length == 1 ? All.FirstOrDefault(g => g.Contains(label[0], StringComparison.Ordinal)) : null;

    /// <summary>True when two labels are the same or in one group.</summary>
    public static bool SameGroup(string a, string b) => a == b || (Of(a) is { } g && g == Of(b));
}
