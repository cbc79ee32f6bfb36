using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Monitor.Http;

/// <summary>Registers and maps the status page.</summary>
internal static class StatusPageServices
{
    public static IServiceCollection AddStatusPage(this IServiceCollection services)
    {
        services.AddSingleton<StatusPageSampler>();
        services.AddSingleton<StatusPageJson>();
        services.AddSingleton<StatusPageEndpoints>();
        return services;
    }

    /// <summary>Maps the page and starts sampling, so that the charts cover the time since start-up.</summary>
    public static void MapStatusPage(this WebApplication app) =>
        app.Services.GetRequiredService<StatusPageEndpoints>().Map(app);
}
