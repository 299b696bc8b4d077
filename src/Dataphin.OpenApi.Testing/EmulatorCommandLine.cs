using System.Globalization;
using System.Text;

namespace Dataphin.OpenApi.Testing;

/// <summary>
/// The command line of an emulator process, shared by the standalone <c>dataphin-emulator</c> and <c>dataphin emulator</c>:
/// the options (<see cref="Options"/>, for help), how they are read (<see cref="Parse"/>), and what the process prints
/// when the emulator runs (<see cref="DescribeRunning"/>). Values are checked here, once, with messages that name the option.
/// </summary>
/// <example>
/// <code>
/// var commandLine = EmulatorCommandLine.Parse(["--edition", "Agile", "--fault-rate", "0.3"]);
/// await using var emulator = await commandLine.StartAsync();
/// </code>
/// </example>
public sealed class EmulatorCommandLine
{
    /// <summary>The last line printed once the emulator serves: <c>Press Ctrl+C to stop.</c></summary>
    public const string ReadyLine = "Press Ctrl+C to stop.";

    private static readonly EmulatorCommandLineOption[] Definitions =
    [
        new("--port", "n", "The TCP port on 127.0.0.1; 0 (the default) picks a free port."),
        new("--tenant", "id", $"The tenant id the emulator knows (default {DataphinEmulatorOptions.DefaultTenant})."),
        new("--access-key-id", "id", $"The AccessKey id to accept (default {DataphinEmulatorOptions.DefaultAccessKeyId})."),
        new("--access-key-secret", "secret", $"Its secret (default {DataphinEmulatorOptions.DefaultAccessKeySecret}); never printed."),
        new("--security-token", "token", "Make the AccessKey an STS credential: every request must carry this token (never printed)."),
        new("--edition", "edition", "The quotas of Personal, Agile, Basic (the default) or Intelligent: Personal and Agile share 5 QPS among all levels; Basic and Intelligent allow 50 / 20 / 5 QPS for Levels 1 / 2 / 3."),
        new("--level1-qps", "n", "The Level 1 quota in calls per second (Basic and Intelligent)."),
        new("--level2-qps", "n", "The Level 2 quota in calls per second, e.g. for AddRegisterLineage (Basic and Intelligent)."),
        new("--level3-qps", "n", "The Level 3 quota in calls per second (Basic and Intelligent)."),
        new("--shared-qps", "n", "The quota all levels share, in calls per second (Personal and Agile)."),
        new("--no-quotas", null, "Switch the quotas off: no call is throttled."),
        new("--fault-rate", "share", "The share of requests (0 to 1) answered with HTTP 503 ServiceUnavailable, not executed."),
        new("--drop-rate", "share", "The share of requests (0 to 1) whose connection is dropped without an answer, not executed."),
        new("--latency-ms", "n", "Milliseconds to wait before answering every request (default 0)."),
        new("--fault-seed", "n", "A seed for the random choice of faults, for a reproducible sequence."),
        new("--max-body-bytes", "n", string.Create(CultureInfo.InvariantCulture, $"The largest request body read, in bytes (1 to {DataphinEmulatorOptions.MaxRequestBodyBytesLimit}; default {DataphinEmulatorOptions.DefaultMaxRequestBodyBytes}, 10 MiB); a larger one is answered 413 RequestBodyTooLarge.")),
        new("--max-recorded-bytes", "n", string.Create(CultureInfo.InvariantCulture, $"The most memory, in bytes, the log of received requests may take; the oldest are dropped first (default {DataphinEmulatorOptions.DefaultMaxRecordedRequestBytes}, 64 MiB).")),
    ];

    private EmulatorCommandLine(DataphinEmulatorOptions emulatorOptions, EmulatorFault? fault, EmulatorEdition edition, bool showHelp)
    {
        EmulatorOptions = emulatorOptions;
        Fault = fault;
        Edition = edition;
        ShowHelp = showHelp;
    }

    /// <summary>Every option, in the order help lists them (<c>--help</c> is not among them).</summary>
    public static IReadOnlyList<EmulatorCommandLineOption> Options => Definitions;

    /// <summary>The options as help text, one per line.</summary>
    public static string Usage
    {
        get
        {
            var text = new StringBuilder();
            foreach (var option in Definitions)
            {
                var head = option.ValueName is null ? option.Name : $"{option.Name} <{option.ValueName}>";
                text.Append("  ").Append(head.PadRight(28)).Append(' ').AppendLine(option.Description);
            }

            text.Append("  ").Append("--help".PadRight(28)).Append(' ').Append("Show this text.");
            return text.ToString();
        }
    }

    /// <summary>The emulator's settings.</summary>
    public DataphinEmulatorOptions EmulatorOptions { get; }

    /// <summary>The faults to inject into every action, or <see langword="null"/> for none.</summary>
    public EmulatorFault? Fault { get; }

    /// <summary>The edition whose quotas apply.</summary>
    public EmulatorEdition Edition { get; }

    /// <summary>Whether <c>--help</c> was given.</summary>
    public bool ShowHelp { get; }

    /// <summary>Reads the arguments.</summary>
    /// <param name="args">The arguments, e.g. <c>--port 8080 --fault-rate 0.3</c>.</param>
    /// <returns>The command line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    /// <exception cref="EmulatorCommandLineException">An argument is unknown, lacks its value, or its value is not allowed; the message names it.</exception>
    public static EmulatorCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new DataphinEmulatorOptions();
        var edition = EmulatorEdition.Basic;
        var quotasOn = true;
        double? level1 = null, level2 = null, level3 = null, shared = null;
        double faultRate = 0, dropRate = 0;
        var latency = TimeSpan.Zero;
        var help = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h" or "-?")
            {
                help = true;
                continue;
            }

            if (Array.Find(Definitions, d => d.Name == name) is not { } definition)
            {
                throw new EmulatorCommandLineException($"Unknown option '{name}'.");
            }

            if (!seen.Add(name))
            {
                throw new EmulatorCommandLineException($"{name} is given more than once.");
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new EmulatorCommandLineException($"{name} needs a value ({definition.ValueName}).");
            switch (name)
            {
                case "--port":
                    options.Port = (int)Whole(name, Value(), 0, 65535);
                    break;
                case "--tenant":
                    options.DefaultTenantId = Whole(name, Value(), 1, long.MaxValue);
                    break;
                case "--access-key-id":
                    options.AccessKeyId = NonEmpty(name, Value());
                    break;
                case "--access-key-secret":
                    options.AccessKeySecret = NonEmpty(name, Value());
                    break;
                case "--security-token":
                    options.SecurityToken = NonEmpty(name, Value());
                    break;
                case "--edition":
                    var text = Value();
                    if (!Enum.TryParse(text, ignoreCase: true, out edition) || !Enum.IsDefined(edition) || int.TryParse(text, out _))
                    {
                        throw new EmulatorCommandLineException($"--edition '{text}' is not one of Personal, Agile, Basic, Intelligent.");
                    }

                    break;
                case "--level1-qps":
                    level1 = Positive(name, Value());
                    break;
                case "--level2-qps":
                    level2 = Positive(name, Value());
                    break;
                case "--level3-qps":
                    level3 = Positive(name, Value());
                    break;
                case "--shared-qps":
                    shared = Positive(name, Value());
                    break;
                case "--no-quotas":
                    quotasOn = false;
                    break;
                case "--fault-rate":
                    faultRate = Share(name, Value());
                    break;
                case "--drop-rate":
                    dropRate = Share(name, Value());
                    break;
                case "--latency-ms":
                    latency = TimeSpan.FromMilliseconds(Whole(name, Value(), 0, 600_000));
                    break;
                case "--fault-seed":
                    options.FaultSeed = (int)Whole(name, Value(), 0, int.MaxValue);
                    break;
                case "--max-body-bytes":
                    options.MaxRequestBodyBytes = (int)Whole(name, Value(), 1, DataphinEmulatorOptions.MaxRequestBodyBytesLimit);
                    break;
                case "--max-recorded-bytes":
                    options.MaxRecordedRequestBytes = Whole(name, Value(), 1, long.MaxValue);
                    break;
            }
        }

        var sharesOneBudget = edition is EmulatorEdition.Personal or EmulatorEdition.Agile;
        if (!quotasOn && (level1 ?? level2 ?? level3 ?? shared) is not null)
        {
            throw new EmulatorCommandLineException("--no-quotas switches the quotas off; it cannot be combined with a QPS option.");
        }

        if (sharesOneBudget && (level1 ?? level2 ?? level3) is not null)
        {
            throw new EmulatorCommandLineException($"The {edition} edition has one quota for all levels: use --shared-qps instead of --level1-qps, --level2-qps or --level3-qps.");
        }

        if (!sharesOneBudget && shared is not null)
        {
            throw new EmulatorCommandLineException($"The {edition} edition has a quota per level: use --level1-qps, --level2-qps or --level3-qps instead of --shared-qps.");
        }

        if (faultRate + dropRate > 1)
        {
            throw new EmulatorCommandLineException($"--fault-rate and --drop-rate together must be at most 1; they are {(faultRate + dropRate).ToString(CultureInfo.InvariantCulture)}.");
        }

        var quotas = quotasOn ? EmulatorQuotas.ForEdition(edition) : EmulatorQuotas.Disabled;
        quotas.Level1Qps = level1 ?? quotas.Level1Qps;
        quotas.Level2Qps = level2 ?? quotas.Level2Qps;
        quotas.Level3Qps = level3 ?? quotas.Level3Qps;
        quotas.SharedQps = shared ?? quotas.SharedQps;
        options.Quotas = quotas;
        var fault = faultRate > 0 || dropRate > 0 || latency > TimeSpan.Zero
            ? new EmulatorFault { ServerErrorRate = faultRate, DroppedConnectionRate = dropRate, Latency = latency }
            : null;
        return new EmulatorCommandLine(options, fault, edition, help);
    }

    /// <summary>Starts the emulator these arguments describe, with <see cref="Fault"/> injected into every action.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    /// <exception cref="IOException">The port cannot be listened on.</exception>
    public async Task<DataphinEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var emulator = await DataphinEmulator.StartAsync(EmulatorOptions, cancellationToken).ConfigureAwait(false);
        if (Fault is not null)
        {
            emulator.SetFault("*", Fault);
        }

        return emulator;
    }

    /// <summary>What a process prints about the running emulator: endpoint, tenant, AccessKey (the secret only when it is the public default), quotas, faults and the state address.</summary>
    /// <param name="emulator">The running emulator.</param>
    /// <returns>The lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is null.</exception>
    public IReadOnlyList<string> DescribeRunning(DataphinEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        var quotas = emulator.Quotas;
        var lines = new List<string>
        {
            "Dataphin OpenAPI emulator (dataphin-public 2023-06-30)",
            $"  endpoint:          {emulator.Endpoint}",
            $"  tenant:            {emulator.DefaultTenantId}",
            $"  AccessKey id:      {emulator.AccessKeyId}",
            emulator.AccessKeySecret == DataphinEmulatorOptions.DefaultAccessKeySecret
                ? $"  AccessKey secret:  {DataphinEmulatorOptions.DefaultAccessKeySecret} (the emulator's public test secret)"
                : "  AccessKey secret:  the one given with --access-key-secret",
        };
        if (emulator.SecurityToken is not null)
        {
            lines.Add("  security token:    required: the one given with --security-token");
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"  quotas:            {(!quotas.Enabled ? "off" : quotas.SharedQps is { } shared ? $"{shared:0.###} QPS shared by all levels ({Edition})" : $"Level 1 {quotas.Level1Qps:0.###} / Level 2 {quotas.Level2Qps:0.###} / Level 3 {quotas.Level3Qps:0.###} QPS ({Edition})")}"));
        if (Fault is { } fault)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  faults:            {fault.ServerErrorRate:0.##%} answered 503, {fault.DroppedConnectionRate:0.##%} dropped, {fault.Latency.TotalMilliseconds:0} ms latency"));
        }

        lines.Add($"  state:             GET {emulator.StateEndpoint}");
        return lines;
    }

    /// <summary>The line printed when the emulator stops: how many requests it received since it started (<see cref="DataphinEmulator.RequestsReceived"/>).</summary>
    /// <param name="emulator">The emulator.</param>
    /// <returns>The line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="emulator"/> is null.</exception>
    public static string DescribeStopping(DataphinEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return string.Create(CultureInfo.InvariantCulture, $"Stopping; {emulator.RequestsReceived} requests were received.");
    }

    private static long Whole(string name, string text, long min, long max)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new EmulatorCommandLineException(string.Create(CultureInfo.InvariantCulture, $"{name} '{text}' must be a whole number from {min} to {max}."));

    private static double Positive(string name, string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && !double.IsInfinity(value)
            ? value
            : throw new EmulatorCommandLineException($"{name} '{text}' must be a positive number of calls per second.");

    private static double Share(string name, string text)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 1
            ? value
            : throw new EmulatorCommandLineException($"{name} '{text}' must be a share from 0 to 1, e.g. 0.3.");

    private static string NonEmpty(string name, string text)
        => !string.IsNullOrWhiteSpace(text) ? text : throw new EmulatorCommandLineException($"{name} must not be empty.");
}

/// <summary>One option of the emulator's command line.</summary>
/// <param name="Name">The option, e.g. <c>--fault-rate</c>.</param>
/// <param name="ValueName">What its value is, e.g. <c>share</c>; <see langword="null"/> for a flag without a value.</param>
/// <param name="Description">What it does.</param>
public sealed record EmulatorCommandLineOption(string Name, string? ValueName, string Description);

/// <summary>The emulator's command line is not usable; the message names the option and what is wrong.</summary>
public sealed class EmulatorCommandLineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public EmulatorCommandLineException(string message)
        : base(message)
    {
    }
}
