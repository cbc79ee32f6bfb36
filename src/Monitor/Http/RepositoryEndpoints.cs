using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Repository;

namespace Monitor.Http;

/// <summary>
/// The model repository extension of the Open Inference Protocol, as Triton defines it:
/// <c>POST /v2/repository/index</c>, <c>/v2/repository/models/{model}/load</c> and <c>/unload</c>.
/// Off unless <c>Monitor:RepositoryControl:Enabled</c> is true.
/// </summary>
internal sealed class RepositoryEndpoints
{
    private readonly ModelRegistry registry;
    private readonly MonitorOptions options;

    public RepositoryEndpoints(ModelRegistry registry, IOptions<MonitorOptions> options)
    {
        this.registry = registry;
        this.options = options.Value;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v2/repository/index", context => this.HandleAsync(context, this.IndexAsync));
        routes.MapPost("/v2/repository/models/{model}/load", context => this.HandleAsync(context, this.LoadAsync));
        routes.MapPost("/v2/repository/models/{model}/unload", context => this.HandleAsync(context, this.UnloadAsync));
    }

    private async Task HandleAsync(HttpContext context, Func<HttpContext, Task> handler)
    {
        if (!this.options.RepositoryControl.Enabled)
        {
            await JsonResults.WriteErrorAsync(
                context, StatusCodes.Status403Forbidden,
                "Repository control is disabled; set Monitor:RepositoryControl:Enabled to true to load and unload models through /v2/repository.");
            return;
        }

        try
        {
            await handler(context);
        }
        catch (InferenceRequestException exception)
        {
            await JsonResults.WriteErrorAsync(context, exception.StatusCode, exception.Message);
        }
    }

    private async Task IndexAsync(HttpContext context)
    {
        bool readyOnly = await ReadReadyFilterAsync(context.Request);
        IReadOnlyList<RepositoryIndexEntry> index = this.registry.Index();
        await JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray();
            foreach (RepositoryIndexEntry entry in index.Where(entry => !readyOnly || entry.State == "READY"))
            {
                writer.WriteStartObject();
                writer.WriteString("name", entry.Name);
                if (entry.Version is not null)
                {
                    writer.WriteString("version", entry.Version);
                }

                writer.WriteString("state", entry.State);
                if (entry.Reason is not null)
                {
                    writer.WriteString("reason", entry.Reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private async Task LoadAsync(HttpContext context)
    {
        ServedModel served = await this.registry.LoadByRequestAsync((string)context.Request.RouteValues["model"]!, context.RequestAborted);
        await WriteModelStatesAsync(context, served.Name, served.States);
    }

    private async Task UnloadAsync(HttpContext context)
    {
        string name = (string)context.Request.RouteValues["model"]!;
        await this.registry.UnloadByRequestAsync(name, context.RequestAborted);
        await WriteModelStatesAsync(context, name, []);
    }

    private static Task WriteModelStatesAsync(HttpContext context, string name, IReadOnlyList<VersionStatus> states) =>
        JsonResults.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteStartArray("version_states");
            foreach (VersionStatus status in states)
            {
                writer.WriteStartObject();
                writer.WriteString("version", status.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("state", status.State.ToString().ToUpperInvariant());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>Reads the optional <c>{"ready": true}</c> body of an index request.</summary>
    private static async Task<bool> ReadReadyFilterAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 or null && request.Headers.TransferEncoding.Count == 0)
        {
            return false;
        }

        using JsonDocument body = await RequestBodyReader.ParseAsync(request, 64 * 1024);
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceRequestException("The index request body must be a JSON object such as {\"ready\": true}, or empty.");
        }

        if (!body.RootElement.TryGetProperty("ready", out JsonElement ready))
        {
            return false;
        }

        return ready.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InferenceRequestException($"'ready' is {ready.GetRawText()}; send true or false."),
        };
    }
}
