using Emnist.Pipelines;
using Emnist.Tests.Fixtures;
using PublicApiGenerator;

namespace Emnist.Tests.PublicApi;

/// <summary>
/// The packages' public surface is reviewed: any change fails here until the approved listing is updated
/// (copy the .received.txt written beside it over the .approved.txt, and review the diff).
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("Emnist.Pipelines")]
    [InlineData("Emnist.Training")]
    public void Public_surface_matches_the_approved_listing(string assemblyName)
    {
        var assembly = assemblyName == "Emnist.Pipelines" ? typeof(CharacterRecognizer).Assembly : typeof(Emnist.Training.EmnistCnnTrainer).Assembly;
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"] });
        var dir = Path.Combine(SharedData.RepoRoot, "Emnist.Tests", "PublicApi");
        var approved = Path.Combine(dir, assemblyName + ".approved.txt");
        var received = Path.Combine(dir, assemblyName + ".received.txt");
        var expected = File.Exists(approved) ? File.ReadAllText(approved) : "";
        if (Normalize(expected) != Normalize(api))
        {
            File.WriteAllText(received, api);
            Assert.Fail($"The public API of {assemblyName} changed. Review {received} and copy it over {approved} if intended.");
        }
        if (File.Exists(received)) File.Delete(received);
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n").Trim();
}
