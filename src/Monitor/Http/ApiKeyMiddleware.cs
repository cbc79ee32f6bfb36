using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Monitor.Telemetry;

namespace Monitor.Http;

/// <summary>
/// Requires the API key on every path of the inference port except health and server metadata:
/// the inference, model metadata, feedback and repository endpoints all sit under the protected
/// prefixes. The key comes in the <c>X-API-Key</c> header or as <c>Authorization: Bearer</c>.
/// </summary>
internal sealed class ApiKeyMiddleware
{
    public const string HeaderName = "X-API-Key";

    private readonly RequestDelegate next;
    private readonly ApiKeyStore store;
    private readonly ILogger<ApiKeyMiddleware> logger;

    public ApiKeyMiddleware(RequestDelegate next, ApiKeyStore store, ILogger<ApiKeyMiddleware> logger)
    {
        this.next = next;
        this.store = store;
        this.logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        if (!this.store.IsEnabled || IsOpen(context.Request.Path) || this.store.Matches(PresentedKey(context.Request)))
        {
            return this.next(context);
        }

        this.logger.ApiKeyRejected(context.Request.Path);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return JsonResults.WriteErrorAsync(
            context, StatusCodes.Status401Unauthorized,
            $"A valid API key is required: send it in the {HeaderName} header or as 'Authorization: Bearer <key>'.");
    }

    /// <summary>Tells the paths that stay open: liveness, readiness and server metadata, which probes and clients read before they hold a key.</summary>
    private static bool IsOpen(PathString path) =>
        path.StartsWithSegments("/v2/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/v2", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/v2/", StringComparison.OrdinalIgnoreCase);

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out Microsoft.Extensions.Primitives.StringValues apiKey) && apiKey.Count == 1)
        {
            return apiKey[0];
        }

        string? authorization = request.Headers.Authorization.Count == 1 ? request.Headers.Authorization[0] : null;
        const string scheme = "Bearer ";
        if (authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[scheme.Length..].Trim();
        }

        return null;
    }
}
