using System.CommandLine;
using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Training;
using Microsoft.ML;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary><c>emnist train</c>: trains the CNN, exports ONNX, saves the model zip and its card.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var split = CommonOptions.Split();
        var output = new Option<string>("--out") { Description = "Model zip to write", DefaultValueFactory = _ => "models/emnist-byclass.zip" };
        var arch = new Option<string>("--architecture") { Description = "cnn-885k, cnn-wide or tiny", DefaultValueFactory = _ => "cnn-885k" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--learning-rate") { Description = "Peak one-cycle learning rate", DefaultValueFactory = _ => 2e-3 };
        var wd = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0.05 };
        var smoothing = new Option<double>("--label-smoothing") { DefaultValueFactory = _ => 0 };
        var augment = new Option<bool>("--augment") { Description = "Random affine augmentation (costs accuracy on EMNIST's centred test set)" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = all cores)" };
        var validation = new Option<double>("--validation-fraction") { DefaultValueFactory = _ => 0.05 };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience in epochs (0 = off)", DefaultValueFactory = _ => 3 };
        var checkpoints = new Option<string?>("--checkpoint-dir") { Description = "Checkpoint folder (default: models/checkpoints/<out name>)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint" };
        var maxImages = new Option<int?>("--max-images") { Description = "Use at most this many exact training images" };
        var noAmbiguous = new Option<bool>("--no-case-ambiguous") { Description = "Ignore the case-ambiguous training file" };
        var ensemble = new Option<int>("--ensemble") { Description = "Train N networks (seeds seed..seed+N-1, one shared validation split) and average their probabilities", DefaultValueFactory = _ => 1 };
        var keepBest = new Option<bool>("--keep-best-validation-epoch") { Description = "Keep the best-validation epoch's weights instead of the last epoch's" };
        var half = new Option<bool>("--half-precision-weights") { Description = "Store the ONNX weights as float16 (half the zip size; inference stays float32)" };
        var teacher = new Option<string?>("--teacher") { Description = "Model zip whose probabilities the network also learns from (knowledge distillation)" };
        var distillWeight = new Option<double>("--distillation-weight") { Description = "Share of the loss that follows the teacher (0..1)", DefaultValueFactory = _ => 0.7 };
        var evalTest = new Option<bool>("--evaluate-test") { Description = "After training, evaluate on the split's test set and record the figures in the model card" };

        var command = new Command("train", "Train the CNN (TorchSharp), export it to ONNX and save one ML.NET model zip plus a model card.")
        {
            data, split, output, arch, epochs, batch, lr, wd, smoothing, augment, seed, threads, validation, patience, checkpoints, resume, maxImages, noAmbiguous, ensemble, keepBest, half, teacher, distillWeight, evalTest,
        };
        command.SetAction((result, ct) => CliErrors.Run(async () =>
        {
            var outPath = result.GetValue(output)!;
            var options = new EmnistCnnTrainerOptions
            {
                Architecture = result.GetValue(arch)!,
                Epochs = result.GetValue(epochs),
                BatchSize = result.GetValue(batch),
                MaxLearningRate = result.GetValue(lr),
                WeightDecay = result.GetValue(wd),
                LabelSmoothing = result.GetValue(smoothing),
                Augmentation = result.GetValue(augment) ? new() : null,
                Seed = result.GetValue(seed),
                Threads = result.GetValue(threads),
                ValidationFraction = result.GetValue(validation),
                EarlyStoppingPatience = result.GetValue(patience),
                CheckpointDirectory = result.GetValue(checkpoints) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, "checkpoints", Path.GetFileNameWithoutExtension(outPath)),
                Resume = result.GetValue(resume),
                MaxTrainingImages = result.GetValue(maxImages),
                KeepBestValidationEpoch = result.GetValue(keepBest),
                DistillationWeight = result.GetValue(distillWeight),
            };
            options.Validate();
            var members = result.GetValue(ensemble);
            if (members is < 1 or > 16) throw new ArgumentException($"--ensemble must be between 1 and 16; got {members}.");
            ModelOutput.EnsureWritable(outPath);
            var splitValue = EmnistFileNames.ParseSplit(result.GetValue(split)!);
            var dataDir = EmnistDataDirectory.ResolvePath(result.GetValue(data));

            AnsiConsole.MarkupLineInterpolated($"Loading [bold]{splitValue.Name()}[/] training data from {dataDir} ...");
            var trainingData = TrainingDataLoader.Load(dataDir, splitValue, !result.GetValue(noAmbiguous), ct);
            AnsiConsole.MarkupLineInterpolated($"{trainingData.Exact.Count:N0} exact + {trainingData.CaseAmbiguous?.Count ?? 0:N0} case-ambiguous images, {trainingData.ClassCount} classes; priors from {(trainingData.TargetPriors is null ? "the training data" : "the official label file")}.");

            if (result.GetValue(teacher) is { } teacherPath)
            {
                var teacherModel = EmnistModel.Load(new MLContext(), teacherPath);
                AnsiConsole.MarkupLineInterpolated($"Running the teacher [bold]{teacherModel.Info.Name}[/] ({teacherModel.Info.Architecture}) over the training images ...");
                trainingData = trainingData with { Teacher = await Task.Run(() => TeacherTargets.Compute(new MLContext(), teacherModel, trainingData, ct), ct) };
            }

            var trained = new List<TrainedNetwork>();
            try
            {
                for (var k = 0; k < members; k++)
                {
                    var memberOptions = members == 1 ? options : options with
                    {
                        Seed = options.Seed + k,
                        SplitSeed = options.Seed,
                        CheckpointDirectory = Path.Combine(options.CheckpointDirectory!, $"member-{k}"),
                    };
                    if (members > 1) AnsiConsole.MarkupLineInterpolated($"[bold]Ensemble member {k + 1}/{members}[/] (seed {memberOptions.Seed})");
                    trained.Add(await TrainingProgressView.Run(p => EmnistCnnTrainer.Train(trainingData, memberOptions, p, ct)));
                }
                await ModelOutput.SaveAsync(trained, options, splitValue, dataDir, outPath, trainingData, result.GetValue(evalTest), result.GetValue(half), ct);
            }
            finally
            {
                foreach (var t in trained) t.Dispose();
            }
            return 0;
        }));
        return command;
    }
}
