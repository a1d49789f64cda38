using System.Diagnostics;
using System.Text.Json;
using Emnist.Pipelines.Data;
using Emnist.Pipelines.Transforms;
using Emnist.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Emnist.Training;

/// <summary>The result of training: the network (in evaluation mode) and what happened.</summary>
public sealed class TrainedNetwork : IDisposable
{
    internal TrainedNetwork(EmnistCnn network, IReadOnlyList<string> labels, float[] logitAdjustment, IReadOnlyList<EpochSummary> history, string architecture)
    {
        Network = network;
        Labels = labels;
        LogitAdjustment = logitAdjustment;
        History = history;
        Architecture = architecture;
    }

    internal EmnistCnn Network { get; }

    /// <summary>Class texts in class order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Added to the network's logits before the softmax: log of the target class priors (logit adjustment).</summary>
    public IReadOnlyList<float> LogitAdjustment { get; }

    /// <summary>Per-epoch figures.</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>Architecture name.</summary>
    public string Architecture { get; }

    /// <summary>Trainable parameters.</summary>
    public long ParameterCount => Network.parameters().Sum(p => p.numel());

    /// <summary>Multiply-accumulates per image.</summary>
    public long MacsPerImage => Architectures.MacsPerImage(Network.Spec);

    /// <summary>Class probabilities (with the logit adjustment) for raw 0..255 pixel rows, N×784 → N×classes.</summary>
    public float[] PredictProbabilities(ReadOnlySpan<float> pixels, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(pixels.ToArray(), [count, EmnistImage.PixelCount]);
        var adj = tensor(LogitAdjustment.ToArray());
        return nn.functional.softmax(Network.forward(x) + adj, 1).data<float>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}

/// <summary>
/// Trains the EMNIST CNN with TorchSharp on the CPU: AdamW with a one-cycle schedule, a partial-label loss for
/// case-ambiguous samples (−log(p_upper + p_lower)), logit adjustment for the class-prior mismatch, validation on
/// a held-out slice of the training data (never the test set), early stopping, checkpoints and resume.
/// </summary>
public static class EmnistCnnTrainer
{
    private const string StateFile = "state.json";
    private const string WeightsFile = "weights.bin";
    private const string BestWeightsFile = "best.bin";

    /// <summary>Trains a network.</summary>
    /// <exception cref="ArgumentException">The options or data are invalid.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if configured) holds the last completed step.</exception>
    public static TrainedNetwork Train(EmnistTrainingData data, EmnistCnnTrainerOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Exact.Count == 0) throw new ArgumentException("There are no training images.", nameof(data));

        TorchSetup.Configure(options.Threads);
        random.manual_seed(options.Seed);
        var classes = data.ClassCount;
        var network = new EmnistCnn(Architectures.Get(options.Architecture, classes));

        // Split exact samples into train and validation with a seeded shuffle; ambiguous ones only train.
        var exactOrder = Permutation(data.Exact.Count, new Random(options.SplitSeed ?? options.Seed));
        if (options.MaxTrainingImages is { } max && max < exactOrder.Length) exactOrder = exactOrder[..max];
        var valCount = (int)(exactOrder.Length * options.ValidationFraction);
        var validation = exactOrder[..valCount];
        var trainExact = exactOrder[valCount..];
        var ambiguousCount = data.CaseAmbiguous?.Count ?? 0;
        var trainCount = trainExact.Length + ambiguousCount;
        if (trainCount < 1) throw new ArgumentException("No training images are left after the validation split.", nameof(data));

        var trainLogPrior = LogPriors(TrainPriors(data, trainExact));
        var targetLogPrior = data.TargetPriors is null ? trainLogPrior : LogPriors(Normalize(data.TargetPriors, classes));
        data.Teacher?.Validate(data);
        // The teacher's probabilities are for the target priors; the student's training logits carry the training
        // priors, so the soft targets are moved to the training priors first (p · π_train / π_target, renormalised).
        var teacherPriorShift = data.Teacher is null ? null : trainLogPrior.Zip(targetLogPrior, (t, g) => MathF.Exp(t - g)).ToArray();

        var stepsPerEpoch = (trainCount + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = (long)stepsPerEpoch * options.Epochs;
        using var optimizer = optim.AdamW(network.parameters(), lr: options.MaxLearningRate, weight_decay: options.WeightDecay);

        var state = new CheckpointState();
        if (options.Resume && options.CheckpointDirectory is { } resumeDir && File.Exists(Path.Combine(resumeDir, StateFile)))
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(resumeDir, StateFile)))
                ?? throw new InvalidDataException($"{resumeDir}: unreadable checkpoint state");
            if (state.Architecture != options.Architecture || state.Seed != options.Seed)
                throw new ArgumentException($"The checkpoint in {resumeDir} is for architecture {state.Architecture}, seed {state.Seed}; the options ask for {options.Architecture}, seed {options.Seed}.");
            network.load(Path.Combine(resumeDir, WeightsFile));
        }

        using var trainLogPriorT = tensor(trainLogPrior);
        var batchX = new float[options.BatchSize * EmnistImage.PixelCount];
        var batchMask = new float[options.BatchSize * classes];
        var batchSoft = teacherPriorShift is null ? null : new float[options.BatchSize * classes];
        var augmented = new byte[EmnistImage.PixelCount];
        var watch = Stopwatch.StartNew();
        long stepsDoneThisRun = 0;

        while (state.Epoch < options.Epochs && !state.Stopped)
        {
            var epoch = state.Epoch;
            var order = Permutation(trainCount, new Random(HashCode.Combine(options.Seed, epoch)));
            var augmentRandom = new Random(HashCode.Combine(options.Seed, epoch, 7));
            random.manual_seed(options.Seed + 1000 * epoch + state.Step);
            network.train();
            var epochWatch = Stopwatch.StartNew();
            double lossSum = state.LossSum; long seen = state.Seen, correct = state.Correct;
            var epochStartSeen = seen;

            for (var step = state.Step; step < stepsPerEpoch; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    state = state with { Step = step, LossSum = lossSum, Seen = seen, Correct = correct };
                    SaveCheckpoint(options, network, state);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var start = step * options.BatchSize;
                var n = Math.Min(options.BatchSize, trainCount - start);
                Array.Fill(batchMask, -1e9f, 0, n * classes);
                for (var i = 0; i < n; i++)
                {
                    var idx = order[start + i];
                    ReadOnlySpan<byte> px;
                    if (idx < trainExact.Length)
                    {
                        var row = trainExact[idx];
                        px = data.Exact.PixelsOf(row);
                        batchMask[i * classes + data.Exact.Classes[row]] = 0;
                        if (batchSoft is not null) SoftTarget(data.Teacher!.Exact, row, teacherPriorShift!, batchSoft.AsSpan(i * classes, classes));
                    }
                    else
                    {
                        var row = idx - trainExact.Length;
                        px = data.CaseAmbiguous!.PixelsOf(row);
                        var upper = data.CaseAmbiguous.Classes[row];
                        batchMask[i * classes + upper] = 0;
                        var twin = data.CaseTwinOf(upper);
                        if (twin >= 0) batchMask[i * classes + twin] = 0;
                        if (batchSoft is not null) SoftTarget(data.Teacher!.CaseAmbiguous!, row, teacherPriorShift!, batchSoft.AsSpan(i * classes, classes));
                    }
                    if (options.Augmentation is { } aug)
                    {
                        EmnistAugmentation.Apply(px, augmented, aug, augmentRandom);
                        px = augmented;
                    }
                    var dst = batchX.AsSpan(i * EmnistImage.PixelCount, EmnistImage.PixelCount);
                    for (var p = 0; p < EmnistImage.PixelCount; p++) dst[p] = px[p];
                }

                var lr = OneCycle(options, (long)epoch * stepsPerEpoch + step, totalSteps);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

                using (var scope = NewDisposeScope())
                {
                    var x = tensor(batchX.AsSpan(0, n * EmnistImage.PixelCount).ToArray(), [n, EmnistImage.PixelCount]);
                    var mask = tensor(batchMask.AsSpan(0, n * classes).ToArray(), [n, classes]);
                    var logits = network.forward(x) + trainLogPriorT;
                    var logp = nn.functional.log_softmax(logits, 1);
                    // Partial-label loss: −log of the probability mass on the allowed set (one class, or both case twins).
                    var loss = -(logp + mask).logsumexp(1).mean();
                    if (batchSoft is not null)
                    {
                        var soft = tensor(batchSoft.AsSpan(0, n * classes).ToArray(), [n, classes]);
                        var distill = -(soft * logp).sum(1).mean();
                        loss = loss * (1 - options.DistillationWeight) + distill * options.DistillationWeight;
                    }
                    if (options.LabelSmoothing > 0)
                        loss = loss * (1 - options.LabelSmoothing) - logp.mean(new long[] { 1 }).mean() * options.LabelSmoothing;
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();

                    var predicted = logits.argmax(1);
                    var hit = mask.gather(1, predicted.unsqueeze(1)).squeeze(1).eq(0).sum().item<long>();
                    lossSum += loss.item<float>() * n;
                    seen += n;
                    correct += hit;
                }
                stepsDoneThisRun++;

                if (progress is not null && (step % 20 == 0 || step == stepsPerEpoch - 1))
                {
                    var ips = (seen - epochStartSeen) / Math.Max(epochWatch.Elapsed.TotalSeconds, 1e-9);
                    var stepsLeft = totalSteps - ((long)epoch * stepsPerEpoch + step + 1);
                    var eta = TimeSpan.FromSeconds(stepsLeft * watch.Elapsed.TotalSeconds / Math.Max(stepsDoneThisRun, 1));
                    progress.Report(new TrainingProgress(epoch + 1, options.Epochs, step + 1, stepsPerEpoch, lossSum / seen, (double)correct / seen, null, ips, eta));
                }
            }

            double? valAcc = validation.Length > 0 ? Accuracy(network, data.Exact, validation, trainLogPrior) : null;
            var ipsEpoch = (seen - epochStartSeen) / Math.Max(epochWatch.Elapsed.TotalSeconds, 1e-9);
            var summary = new EpochSummary(epoch + 1, lossSum / seen, (double)correct / seen, valAcc, ipsEpoch, epochWatch.Elapsed.TotalSeconds);
            var better = valAcc is null || valAcc > state.BestValidationAccuracy;
            state = state with
            {
                Epoch = epoch + 1, Step = 0, LossSum = 0, Seen = 0, Correct = 0,
                History = [.. state.History, summary],
                BestValidationAccuracy = better ? valAcc ?? 0 : state.BestValidationAccuracy,
                BestEpoch = better ? epoch + 1 : state.BestEpoch,
                Architecture = options.Architecture, Seed = options.Seed,
            };
            state = state with { Stopped = options.EarlyStoppingPatience > 0 && state.Epoch - state.BestEpoch >= options.EarlyStoppingPatience };
            if (better && options.CheckpointDirectory is { } dir)
            {
                Directory.CreateDirectory(dir);
                network.save(Path.Combine(dir, BestWeightsFile));
            }
            SaveCheckpoint(options, network, state);
            progress?.Report(new TrainingProgress(epoch + 1, options.Epochs, stepsPerEpoch, stepsPerEpoch, summary.Loss, summary.TrainAccuracy, valAcc, ipsEpoch,
                TimeSpan.FromSeconds((options.Epochs - epoch - 1) * epochWatch.Elapsed.TotalSeconds)));
        }

        // Optional model selection on the validation slice: go back to the best epoch's weights.
        if (options.KeepBestValidationEpoch && options.CheckpointDirectory is { } cdir && File.Exists(Path.Combine(cdir, BestWeightsFile)) && state.BestEpoch != state.Epoch)
            network.load(Path.Combine(cdir, BestWeightsFile));
        network.eval();
        return new TrainedNetwork(network, data.Labels, [.. targetLogPrior], state.History, options.Architecture);
    }

    private static void SoftTarget(float[] teacher, int row, float[] priorShift, Span<float> target)
    {
        var probs = teacher.AsSpan(row * target.Length, target.Length);
        var sum = 0f;
        for (var k = 0; k < target.Length; k++) sum += target[k] = probs[k] * priorShift[k];
        for (var k = 0; k < target.Length; k++) target[k] /= sum;
    }

    private static void SaveCheckpoint(EmnistCnnTrainerOptions options, EmnistCnn network, CheckpointState state)
    {
        if (options.CheckpointDirectory is not { } dir) return;
        Directory.CreateDirectory(dir);
        state = state with { Architecture = options.Architecture, Seed = options.Seed };
        // Write beside, then rename: an interruption never leaves a half-written checkpoint under the final name.
        var weights = Path.Combine(dir, WeightsFile);
        network.save(weights + ".tmp");
        File.Move(weights + ".tmp", weights, true);
        var json = Path.Combine(dir, StateFile);
        File.WriteAllText(json + ".tmp", JsonSerializer.Serialize(state));
        File.Move(json + ".tmp", json, true);
    }

    private static double Accuracy(EmnistCnn network, EmnistArrays data, int[] rows, float[] logPrior)
    {
        network.eval();
        using var noGrad = no_grad();
        using var prior = tensor(logPrior);
        long correct = 0;
        const int batch = 512;
        var x = new float[batch * EmnistImage.PixelCount];
        for (var start = 0; start < rows.Length; start += batch)
        {
            var n = Math.Min(batch, rows.Length - start);
            for (var i = 0; i < n; i++)
            {
                var px = data.PixelsOf(rows[start + i]);
                for (var p = 0; p < EmnistImage.PixelCount; p++) x[i * EmnistImage.PixelCount + p] = px[p];
            }
            using var scope = NewDisposeScope();
            var pred = (network.forward(tensor(x.AsSpan(0, n * EmnistImage.PixelCount).ToArray(), [n, EmnistImage.PixelCount])) + prior).argmax(1).data<long>().ToArray();
            for (var i = 0; i < n; i++) if (pred[i] == data.Classes[rows[start + i]]) correct++;
        }
        network.train();
        return (double)correct / rows.Length;
    }

    /// <summary>One-cycle schedule: cosine warm-up from max/25 to max, then cosine decay to max/1e4.</summary>
    internal static double OneCycle(EmnistCnnTrainerOptions o, long step, long total)
    {
        var warm = Math.Max(1, (long)(total * o.WarmupFraction));
        double start = o.MaxLearningRate / 25, end = o.MaxLearningRate / 1e4;
        if (step < warm) return start + (o.MaxLearningRate - start) * (1 - Math.Cos(Math.PI * step / warm)) / 2;
        var t = (double)(step - warm) / Math.Max(1, total - warm);
        return end + (o.MaxLearningRate - end) * (1 + Math.Cos(Math.PI * Math.Min(t, 1))) / 2;
    }

    /// <summary>Effective class frequencies of the training set: case-ambiguous samples are split between the twins
    /// in the ratio of the target priors (or evenly).</summary>
    private static double[] TrainPriors(EmnistTrainingData data, int[] trainExact)
    {
        var counts = new double[data.ClassCount];
        foreach (var row in trainExact) counts[data.Exact.Classes[row]]++;
        if (data.CaseAmbiguous is { } amb)
        {
            var target = data.TargetPriors;
            for (var i = 0; i < amb.Count; i++)
            {
                var upper = amb.Classes[i];
                var twin = data.CaseTwinOf(upper);
                if (twin < 0) { counts[upper]++; continue; }
                var share = target is null ? 0.5 : target[upper] / Math.Max(target[upper] + target[twin], 1e-12);
                counts[upper] += share;
                counts[twin] += 1 - share;
            }
        }
        return Normalize(counts, data.ClassCount);
    }

    private static double[] Normalize(double[] counts, int classes)
    {
        if (counts.Length != classes) throw new ArgumentException($"Priors have {counts.Length} entries; expected {classes}.");
        var sum = counts.Sum();
        return [.. counts.Select(c => (c + 1) / (sum + classes))]; // +1: no class gets log(0)
    }

    private static float[] LogPriors(double[] priors) => [.. priors.Select(p => (float)Math.Log(p))];

    private static int[] Permutation(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }

    private sealed record CheckpointState
    {
        public int Epoch { get; init; }
        public int Step { get; init; }
        public double LossSum { get; init; }
        public long Seen { get; init; }
        public long Correct { get; init; }
        public double BestValidationAccuracy { get; init; } = -1;
        public int BestEpoch { get; init; }
        public bool Stopped { get; init; }
        public string Architecture { get; init; } = "";
        public int Seed { get; init; }
        public EpochSummary[] History { get; init; } = [];
    }
}

/// <summary>Process-wide libtorch settings.</summary>
internal static class TorchSetup
{
    public static void Configure(int threads)
    {
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
    }
}
