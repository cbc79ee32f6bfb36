using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Telemetry;

namespace Monitor.Quality;

/// <summary>Signs and checks prediction ids with the key from configuration, or a key made at start.</summary>
public sealed class PredictionIdService
{
    public PredictionIdService(IOptions<MonitorOptions> options, TimeProvider timeProvider, ILogger<PredictionIdService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        QualityOptions quality = options.Value.Quality;
        this.Enabled = quality.PredictionIds;

        byte[] key;
        if (quality.PredictionIdKeyFile is { Length: > 0 } keyFile)
        {
            key = PredictionIdKeys.LoadFromFile(keyFile);
        }
        else
        {
            key = PredictionIdKeys.Generate();
            if (this.Enabled)
            {
                logger.GeneratedPredictionIdKey();
            }
        }

        this.Codec = new PredictionIdCodec(key, timeProvider, TimeSpan.FromHours(quality.PredictionIdMaxAgeHours));
    }

    public bool Enabled { get; }

    public PredictionIdCodec Codec { get; }
}
