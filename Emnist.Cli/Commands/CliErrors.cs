using Emnist.Pipelines.Data;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary>Turns the errors a user can cause into one red line and a non-zero exit code, without a stack trace.</summary>
internal static class CliErrors
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
            return 130;
        }
        catch (Exception e) when (e is EmnistFormatException or ArgumentException or IOException or HttpRequestException or UnauthorizedAccessException or InvalidDataException or Emnist.Pipelines.Model.EmnistModelException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
    }
}
