using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Microsoft.ML;

namespace Emnist.Training;

/// <summary>
/// A trained model's class probabilities for every training image, used as soft targets (knowledge distillation):
/// a small student learns the teacher's full distribution, e.g. to serve one network at close to an ensemble's
/// accuracy. For case-ambiguous images the teacher also says which case is more likely.
/// </summary>
/// <param name="Exact">N×classes probabilities for <see cref="EmnistTrainingData.Exact"/>, row-major.</param>
/// <param name="CaseAmbiguous">M×classes probabilities for <see cref="EmnistTrainingData.CaseAmbiguous"/>; null when there are none.</param>
/// <param name="Name">Which model the targets came from (recorded in the student's model info).</param>
public sealed record TeacherTargets(float[] Exact, float[]? CaseAmbiguous, string? Name = null)
{
    /// <summary>Runs a model zip over the training images.</summary>
    /// <exception cref="EmnistModelException">The teacher's classes differ from the training data's.</exception>
    public static TeacherTargets Compute(MLContext mlContext, EmnistModel teacher, EmnistTrainingData data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(data);
        if (!teacher.Info.Labels.SequenceEqual(data.Labels))
            throw new EmnistModelException(teacher.Info.Name, $"the teacher's classes ({teacher.Info.Labels.Count}, split {teacher.Info.Split}) differ from the training data's ({data.ClassCount})");
        using var engine = mlContext.Model.CreatePredictionEngine<EmnistInput, EmnistOutput>(teacher.Transformer);
        return new TeacherTargets(Run(engine, data.Exact, data.ClassCount, cancellationToken),
            data.CaseAmbiguous is { } amb ? Run(engine, amb, data.ClassCount, cancellationToken) : null,
            $"{teacher.Info.Name} ({teacher.Info.Architecture}, test {teacher.Info.TestAccuracy:P2})");
    }

    private static float[] Run(PredictionEngine<EmnistInput, EmnistOutput> engine, EmnistArrays images, int classes, CancellationToken cancellationToken)
    {
        var result = new float[images.Count * classes];
        var input = new EmnistInput();
        var output = new EmnistOutput();
        for (var i = 0; i < images.Count; i++)
        {
            if ((i & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var px = images.PixelsOf(i);
            for (var p = 0; p < px.Length; p++) input.Pixels[p] = px[p];
            engine.Predict(input, ref output);
            output.Probabilities.AsSpan(0, classes).CopyTo(result.AsSpan(i * classes, classes));
        }
        return result;
    }

    internal void Validate(EmnistTrainingData data)
    {
        if (Exact.Length != data.Exact.Count * data.ClassCount)
            throw new ArgumentException($"Teacher targets cover {Exact.Length / Math.Max(data.ClassCount, 1)} exact images; the data has {data.Exact.Count}.");
        if ((CaseAmbiguous?.Length ?? 0) != (data.CaseAmbiguous?.Count ?? 0) * data.ClassCount)
            throw new ArgumentException("Teacher targets do not cover the case-ambiguous images.");
    }
}
