using Emnist.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Emnist.Tests.Api;

/// <summary>The real API in-process, serving the tiny fixture model.</summary>
public sealed class ApiFactory(string modelPath) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Emnist:ModelPath", modelPath);
        builder.UseSetting("Emnist:ModelName", "tiny");
        builder.UseSetting("Emnist:WatchModelFile", "false");
        builder.UseSetting("Emnist:MaxRequestBytes", "2097152");
    }
}
