using Emnist.Pipelines.Model;

namespace Emnist.Pipelines;

/// <summary>One candidate character.</summary>
/// <param name="Label">The character, e.g. <c>"A"</c>.</param>
/// <param name="Probability">Model probability, 0..1.</param>
public sealed record LabelProbability(string Label, float Probability);

/// <summary>What the model made of one image.</summary>
/// <param name="HasInk">False for an empty canvas; then there is no prediction.</param>
/// <param name="Prediction">The most likely character, or null when there is no ink.</param>
/// <param name="Confidence">Its probability (0 when there is no ink).</param>
/// <param name="Top">The <c>k</c> most likely characters, most likely first.</param>
/// <param name="ModelInput">The 28×28 image the model saw (784 bytes, upright), empty when there is no ink.</param>
/// <param name="LookAlikes">When the top candidates are case twins or look-alikes (o/O/0 …), that group; else null.</param>
public sealed record Recognition(bool HasInk, string? Prediction, float Confidence, IReadOnlyList<LabelProbability> Top, byte[] ModelInput, string? LookAlikes)
{
    /// <summary>The answer for an empty canvas.</summary>
    public static Recognition NoInk { get; } = new(false, null, 0, [], [], null);

    /// <summary>Builds a result from class probabilities.</summary>
    public static Recognition FromProbabilities(ReadOnlySpan<float> probabilities, IReadOnlyList<string> labels, int top, byte[] modelInput)
    {
        if (probabilities.Length != labels.Count)
            throw new ArgumentException($"{probabilities.Length} probabilities for {labels.Count} labels.", nameof(probabilities));
        top = Math.Clamp(top, 1, labels.Count);
        var best = EmnistEvaluator.TopK(probabilities, top);
        var list = new LabelProbability[best.Length];
        for (var i = 0; i < best.Length; i++) list[i] = new LabelProbability(labels[best[i]], probabilities[best[i]]);
        return new Recognition(true, list[0].Label, list[0].Probability, list, modelInput, LookAlikesOf(probabilities, labels, best[0]));
    }

    /// <summary>
    /// The look-alike group of the top class when another member of it has a real share of the probability
    /// (at least a fifth of the top one), so the honest answer is "one of these".
    /// </summary>
    private static string? LookAlikesOf(ReadOnlySpan<float> p, IReadOnlyList<string> labels, int best)
    {
        if (CaseGroups.Of(labels[best]) is not { } group) return null;
        var members = new List<(char C, float P)>();
        for (var i = 0; i < labels.Count; i++)
            if (labels[i].Length == 1 && group.Contains(labels[i][0], StringComparison.Ordinal)) members.Add((labels[i][0], p[i]));
        var floor = p[best] / 5;
        var strong = members.Where(m => m.P >= floor).OrderByDescending(m => m.P).Select(m => m.C).ToArray();
        return strong.Length >= 2 ? new string(strong) : null;
    }
}
