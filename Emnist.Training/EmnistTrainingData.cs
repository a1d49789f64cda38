using Emnist.Pipelines.Data;

namespace Emnist.Training;

/// <summary>Everything the trainer learns from.</summary>
/// <param name="Labels">Class texts in class order.</param>
/// <param name="Exact">Exactly labelled images.</param>
/// <param name="CaseAmbiguous">Images whose label is an upper-case letter that may really be its lower-case twin
/// (trained with a partial-label loss); null when there are none.</param>
/// <param name="TargetPriors">Class frequencies of the distribution the model will meet (e.g. the official full
/// label file); null = the training distribution. Used for logit adjustment.</param>
public sealed record EmnistTrainingData(IReadOnlyList<string> Labels, EmnistArrays Exact, EmnistArrays? CaseAmbiguous = null, double[]? TargetPriors = null)
{
    /// <summary>A teacher model's probabilities for every training image (knowledge distillation); null = none.</summary>
    public TeacherTargets? Teacher { get; init; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => Labels.Count;

    /// <summary>
    /// For ByClass-like label sets, the lower-case twin of an upper-case class (A → a), or -1.
    /// </summary>
    public int CaseTwinOf(int upperClass)
    {
        var text = Labels[upperClass];
        if (text.Length != 1 || !char.IsUpper(text[0])) return -1;
        var lower = char.ToLowerInvariant(text[0]).ToString();
        for (var i = 0; i < Labels.Count; i++) if (Labels[i] == lower) return i;
        return -1;
    }
}
