using Emnist.Pipelines;
using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;

namespace Emnist.Tests.Prediction;

public sealed class RecognitionTests
{
    private static float[] With(params (string Label, float P)[] entries)
    {
        var p = new float[62];
        foreach (var (label, prob) in entries) p[EmnistMapping.ByClass.Labels.ToList().IndexOf(label)] = prob;
        return p;
    }

    [Fact]
    public void Top_k_is_sorted_and_carries_labels()
    {
        var r = Recognition.FromProbabilities(With(("A", 0.6f), ("4", 0.3f), ("H", 0.1f)), EmnistMapping.ByClass.Labels, 3, []);
        Assert.Equal("A", r.Prediction);
        Assert.Equal(["A", "4", "H"], r.Top.Select(t => t.Label));
        Assert.Equal(0.6f, r.Confidence);
        Assert.Null(r.LookAlikes);
    }

    [Fact]
    public void Look_alikes_are_named_when_the_twin_has_a_real_share()
    {
        var ambiguous = Recognition.FromProbabilities(With(("O", 0.5f), ("0", 0.3f), ("o", 0.15f), ("Q", 0.05f)), EmnistMapping.ByClass.Labels, 5, []);
        Assert.Equal("O0o", ambiguous.LookAlikes); // o has 0.15 ≥ a fifth of the top 0.5; Q is no look-alike of O here
        var sure = Recognition.FromProbabilities(With(("O", 0.9f), ("0", 0.05f), ("Q", 0.05f)), EmnistMapping.ByClass.Labels, 5, []);
        Assert.Null(sure.LookAlikes);
    }

    [Fact]
    public void Case_groups_cover_the_known_confusions()
    {
        Assert.True(CaseGroups.SameGroup("l", "1"));
        Assert.True(CaseGroups.SameGroup("c", "C"));
        Assert.False(CaseGroups.SameGroup("a", "A")); // distinguishable in handwriting
        Assert.False(CaseGroups.SameGroup("7", "T"));
    }

    [Fact]
    public void Evaluation_report_counts_top3_case_groups_and_macro_f1()
    {
        string[] labels = ["0", "O", "A"];
        var report = EmnistEvaluator.Compute(labels, [0, 1, 2, 2],
        [
            [0.9f, 0.1f, 0f],   // 0 → 0 correct
            [0.6f, 0.3f, 0.1f], // O → 0: wrong, but same case group, in top 3
            [0f, 0f, 1f],       // A → A
            [0.5f, 0.4f, 0.1f], // A → 0: wrong, in top 3
        ]);
        Assert.Equal(0.5, report.Accuracy);
        Assert.Equal(1.0, report.Top3Accuracy);
        Assert.Equal(0.75, report.CaseGroupAccuracy);
        Assert.Equal(new Confusion("O", "0", 1), report.TopConfusions.First(c => c.Actual == "O"));
        Assert.InRange(report.MacroF1, 0.3, 0.8);
    }
}
