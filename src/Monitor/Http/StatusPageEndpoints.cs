using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Monitor.Http;

/// <summary>
/// The status page on the API port: <c>GET /</c> serves the page, <c>GET /status-page/{file}</c> its script and
/// style sheet, and <c>GET /v2/status</c> the numbers it draws. Every file is embedded in the assembly, so the
/// page loads nothing from other hosts.
/// </summary>
internal sealed class StatusPageEndpoints
{
    private const string ResourcePrefix = "StatusPage/";

    private const string PageFile = "index.html";

    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        [PageFile] = (ReadResource(PageFile), "text/html; charset=utf-8"),
        ["status.js"] = (ReadResource("status.js"), "text/javascript; charset=utf-8"),
        ["status.css"] = (ReadResource("status.css"), "text/css; charset=utf-8"),
    };

    private readonly StatusPageJson json;

    public StatusPageEndpoints(StatusPageJson json)
    {
        this.json = json;
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", context => WriteAssetAsync(context, PageFile));
        routes.MapGet("/status-page/{file}", context =>
        {
            string file = (string)context.Request.RouteValues["file"]!;
            return file == PageFile
                ? JsonResults.WriteErrorAsync(context, StatusCodes.Status404NotFound, "The status page is at GET /.")
                : WriteAssetAsync(context, file);
        });
        routes.MapGet("/v2/status", context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return JsonResults.WriteAsync(context, StatusCodes.Status200OK, this.json.Write);
        });
    }

    private static Task WriteAssetAsync(HttpContext context, string file)
    {
        if (!Assets.TryGetValue(file, out (byte[] Content, string ContentType) asset))
        {
            return JsonResults.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"No status page file '{file}'; the page is at GET /.");
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:";
        return context.Response.Body.WriteAsync(asset.Content).AsTask();
    }

    private static byte[] ReadResource(string name)
    {
        using Stream stream = typeof(StatusPageEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The status page resource '{ResourcePrefix + name}' is missing from {typeof(StatusPageEndpoints).Assembly.GetName().Name}.");
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
