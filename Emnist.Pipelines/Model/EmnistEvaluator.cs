using Emnist.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Pipelines.Model;

/// <summary>A confusion between two classes.</summary>
/// <param name="Actual">True class.</param>
/// <param name="Predicted">Predicted class.</param>
/// <param name="Count">How often.</param>
public sealed record Confusion(string Actual, string Predicted, int Count);

/// <summary>Figures of a model on a labelled set.</summary>
public sealed record EvaluationReport
{
    /// <summary>Images evaluated.</summary>
    public int Count { get; init; }
    /// <summary>Top-1 accuracy.</summary>
    public double Accuracy { get; init; }
    /// <summary>Top-3 accuracy.</summary>
    public double Top3Accuracy { get; init; }
    /// <summary>Accuracy when a prediction in the true class's case group (o/O/0 …) counts as correct.</summary>
    public double CaseGroupAccuracy { get; init; }
    /// <summary>Unweighted mean of per-class F1.</summary>
    public double MacroF1 { get; init; }
    /// <summary>Class labels, in matrix order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>Recall of each class.</summary>
    public IReadOnlyList<double> PerClassRecall { get; init; } = [];
    /// <summary>Confusion matrix, [actual][predicted].</summary>
    public IReadOnlyList<int[]> ConfusionMatrix { get; init; } = [];
    /// <summary>The most frequent confusions, largest first.</summary>
    public IReadOnlyList<Confusion> TopConfusions { get; init; } = [];
}

/// <summary>Evaluates a model zip on EMNIST files.</summary>
public static class EmnistEvaluator
{
    /// <summary>Runs the model over a part and computes the report.</summary>
    public static EvaluationReport Evaluate(MLContext mlContext, EmnistModel model, EmnistPartFiles files, int? maxCount = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        var mapping = EmnistMapping.Load(files.MappingPath);
        if (!mapping.Labels.SequenceEqual(model.Info.Labels))
            throw new EmnistModelException(files.MappingPath, $"the model's classes ({model.Info.Split}, {model.Info.Labels.Count}) differ from this split's ({files.Split.Name()}, {mapping.Count})");
        var data = mlContext.Data.LoadEmnist(files);
        if (maxCount is { } max) data = mlContext.Data.TakeRows(data, max);
        var scored = model.Transformer.Transform(data);
        var actual = new List<int>();
        var probabilities = new List<float[]>();
        using (var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is EmnistDataCatalog.Columns.Label or EmnistModel.ProbabilitiesColumn)))
        {
            var labelGetter = cursor.GetGetter<uint>(scored.Schema[EmnistDataCatalog.Columns.Label]);
            var probGetter = cursor.GetGetter<VBuffer<float>>(scored.Schema[EmnistModel.ProbabilitiesColumn]);
            uint key = 0;
            VBuffer<float> probs = default;
            while (cursor.MoveNext())
            {
                if ((actual.Count & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                labelGetter(ref key);
                probGetter(ref probs);
                actual.Add((int)key - 1);
                probabilities.Add(probs.DenseValues().ToArray());
            }
        }
        return Compute(model.Info.Labels, actual, probabilities);
    }

    /// <summary>Computes the report from true classes and predicted probabilities.</summary>
    public static EvaluationReport Compute(IReadOnlyList<string> labels, IReadOnlyList<int> actual, IReadOnlyList<float[]> probabilities)
    {
        var k = labels.Count;
        var matrix = new int[k][];
        for (var i = 0; i < k; i++) matrix[i] = new int[k];
        int top1 = 0, top3 = 0, group = 0;
        for (var n = 0; n < actual.Count; n++)
        {
            var p = probabilities[n];
            if (p.Length != k || (uint)actual[n] >= (uint)k)
                throw new ArgumentException($"Row {n}: class {actual[n]} and {p.Length} probabilities do not fit {k} labels.");
            var best = TopK(p, 3);
            var truth = actual[n];
            matrix[truth][best[0]]++;
            if (best[0] == truth) top1++;
            if (best.Contains(truth)) top3++;
            if (CaseGroups.SameGroup(labels[truth], labels[best[0]])) group++;
        }
        var recall = new double[k];
        var f1 = new double[k];
        for (var c = 0; c < k; c++)
        {
            var tp = matrix[c][c];
            var support = matrix[c].Sum();
            var predicted = 0;
            for (var r = 0; r < k; r++) predicted += matrix[r][c];
            recall[c] = support == 0 ? 0 : (double)tp / support;
            var precision = predicted == 0 ? 0 : (double)tp / predicted;
            f1[c] = precision + recall[c] == 0 ? 0 : 2 * precision * recall[c] / (precision + recall[c]);
        }
        var present = Enumerable.Range(0, k).Where(c => matrix[c].Sum() > 0).ToArray();
        var confusions = (from a in Enumerable.Range(0, k)
                          from b in Enumerable.Range(0, k)
                          where a != b && matrix[a][b] > 0
                          orderby matrix[a][b] descending
                          select new Confusion(labels[a], labels[b], matrix[a][b])).Take(20).ToArray();
        var count = Math.Max(actual.Count, 1);
        return new EvaluationReport
        {
            Count = actual.Count,
            Accuracy = (double)top1 / count,
            Top3Accuracy = (double)top3 / count,
            CaseGroupAccuracy = (double)group / count,
            MacroF1 = present.Length == 0 ? 0 : present.Average(c => f1[c]),
            Labels = labels,
            PerClassRecall = recall,
            ConfusionMatrix = matrix,
            TopConfusions = confusions,
        };
    }

    internal static int[] TopK(ReadOnlySpan<float> p, int k)
    {
        k = Math.Min(k, p.Length);
        var best = new int[k];
        var filled = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var pos = filled;
            while (pos > 0 && p[best[pos - 1]] < p[i]) pos--;
            if (pos >= k) continue;
            for (var j = Math.Min(filled, k - 1); j > pos; j--) best[j] = best[j - 1];
            best[pos] = i;
            if (filled < k) filled++;
        }
        return best;
    }
}
