namespace Emnist.Pipelines.Model;

/// <summary>What a model zip says about itself (stored beside the ML.NET model in the zip).</summary>
public sealed record EmnistModelInfo
{
    /// <summary>Model name, e.g. <c>emnist-byclass</c>.</summary>
    public string Name { get; init; } = "emnist";

    /// <summary>EMNIST split the classes come from.</summary>
    public string Split { get; init; } = "byclass";

    /// <summary>Class texts in output order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Network architecture.</summary>
    public string Architecture { get; init; } = "";

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>Multiply-accumulates per image.</summary>
    public long MacsPerImage { get; init; }

    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }

    /// <summary>Seed.</summary>
    public int Seed { get; init; }

    /// <summary>Training images (exact + case-ambiguous).</summary>
    public long TrainingImages { get; init; }

    /// <summary>Wall-clock training seconds.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Best validation accuracy (held-out slice of the training data).</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Top-1 accuracy on the split's official test set, if measured.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Top-3 accuracy on the test set, if measured.</summary>
    public double? TestTop3Accuracy { get; init; }

    /// <summary>Accuracy counting case-group confusions (o/O/0 …) as correct, if measured.</summary>
    public double? TestCaseGroupAccuracy { get; init; }

    /// <summary>Test images measured.</summary>
    public int? TestCount { get; init; }

    /// <summary>When the zip was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Per-epoch training curve: loss, train accuracy, validation accuracy.</summary>
    public IReadOnlyList<EpochRecord> History { get; init; } = [];

    /// <summary>The model this one was distilled from (its name and architecture), if any.</summary>
    public string? Teacher { get; init; }

    /// <summary>Free-form training command line, for reproduction.</summary>
    public string? Command { get; init; }
}

/// <summary>One epoch of a model's training curve.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean training loss.</param>
/// <param name="TrainAccuracy">Training accuracy.</param>
/// <param name="ValidationAccuracy">Validation accuracy, if measured.</param>
public sealed record EpochRecord(int Epoch, double Loss, double TrainAccuracy, double? ValidationAccuracy);
