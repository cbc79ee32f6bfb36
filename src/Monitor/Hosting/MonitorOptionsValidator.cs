using Microsoft.Extensions.Options;

namespace Monitor.Hosting;

/// <summary>Checks the <see cref="MonitorOptions"/> rules that span files or several values, so that start fails on them.</summary>
internal sealed class MonitorOptionsValidator : IValidateOptions<MonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        ValidateOptionsResultBuilder result = new();
        if (options.ApiKeyFile is { } path)
        {
            if (!File.Exists(path))
            {
                result.AddError($"Monitor:ApiKeyFile '{path}' does not exist; mount the key file there or unset Monitor:ApiKeyFile.");
            }
            else if (string.IsNullOrWhiteSpace(File.ReadAllText(path)))
            {
                result.AddError($"Monitor:ApiKeyFile '{path}' is empty; write the API key into it.");
            }
        }

        return result.Build();
    }
}
