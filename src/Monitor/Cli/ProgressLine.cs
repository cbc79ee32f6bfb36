using System.Diagnostics;
using System.Globalization;

namespace Monitor.Cli;

/// <summary>
/// Progress of a long run on standard error: a line rewritten in place on a terminal, or a new line every few
/// seconds when standard error is redirected. Nothing is written during the first second, so short runs stay quiet.
/// </summary>
internal sealed class ProgressLine
{
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(5);

    private readonly string activity;
    private readonly string unit;
    private readonly bool terminal;
    private readonly Stopwatch stopwatch = Stopwatch.StartNew();
    private TimeSpan lastWrite = TimeSpan.Zero;
    private bool written;

    public ProgressLine(string activity, string unit)
    {
        this.activity = activity;
        this.unit = unit;
        this.terminal = !Console.IsErrorRedirected;
    }

    /// <summary>Shows the count done out of the total, when enough time has passed since the last line.</summary>
    public void Report(long done, long total, string? detail = null)
    {
        TimeSpan now = this.stopwatch.Elapsed;
        TimeSpan interval = this.terminal ? TerminalInterval : RedirectedInterval;
        if (now < QuietPeriod || (this.written && now - this.lastWrite < interval))
        {
            return;
        }

        double percent = total > 0 ? 100.0 * done / total : 0;
        double rate = done / Math.Max(now.TotalSeconds, 1e-9);
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{this.activity}: {done:N0}/{total:N0} {this.unit} ({percent:0}%, {rate:N0} {this.unit}/s){(detail is null ? string.Empty : ", " + detail)}");
        if (this.terminal)
        {
            Console.Error.Write("\r" + line.PadRight(79));
        }
        else
        {
            Console.Error.WriteLine(line);
        }

        this.lastWrite = now;
        this.written = true;
    }

    /// <summary>Ends the in-place line on a terminal, so that the next output starts on a fresh line.</summary>
    public void Complete()
    {
        if (this.terminal && this.written)
        {
            Console.Error.WriteLine();
        }
    }
}
