namespace Emnist.Cli;

/// <summary>Entry point of the <c>emnist</c> tool.</summary>
internal static class EmnistProgram
{
    public static Task<int> Main(string[] args) => CliApp.Create().Parse(args).InvokeAsync();
}
