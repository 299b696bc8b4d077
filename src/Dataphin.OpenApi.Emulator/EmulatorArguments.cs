using System.Globalization;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Emulator;

/// <summary>The command line of the standalone emulator.</summary>
internal sealed class EmulatorArguments
{
    public const string Usage = """
        Usage: dataphin-emulator [options]
          --port <n>                 TCP port on 127.0.0.1 (default 0: a free port)
          --tenant <id>              the default tenant id (default 300001234)
          --access-key-id <id>       the AccessKey id to accept (default testAccessKeyId)
          --access-key-secret <s>    its secret (default testAccessKeySecret)
          --security-token <t>       make the AccessKey an STS credential requiring this token
          --edition <e>              quotas of Personal, Agile, Basic (default) or Intelligent
          --no-quotas                switch quotas off
          --help                     show this text
        """;

    public DataphinEmulatorOptions Options { get; } = new();

    public bool ShowHelp { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> naming the bad one.</summary>
    public static EmulatorArguments Parse(IReadOnlyList<string> args)
    {
        var result = new EmulatorArguments();
        var edition = EmulatorEdition.Basic;
        var quotas = true;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--port":
                    result.Options.Port = Number(name, Value(), 0, 65535);
                    break;
                case "--tenant":
                    result.Options.DefaultTenantId = Number(name, Value(), 1, long.MaxValue);
                    break;
                case "--access-key-id":
                    result.Options.AccessKeyId = Value();
                    break;
                case "--access-key-secret":
                    result.Options.AccessKeySecret = Value();
                    break;
                case "--security-token":
                    result.Options.SecurityToken = Value();
                    break;
                case "--edition":
                    var text = Value();
                    if (!Enum.TryParse(text, ignoreCase: true, out edition) || !Enum.IsDefined(edition))
                    {
                        throw new FormatException($"--edition '{text}' is not one of Personal, Agile, Basic, Intelligent.");
                    }

                    break;
                case "--no-quotas":
                    quotas = false;
                    break;
                case "--help" or "-h" or "-?":
                    result.ShowHelp = true;
                    break;
                default:
                    throw new FormatException($"Unknown argument '{name}'.");
            }
        }

        result.Options.Quotas = quotas ? EmulatorQuotas.ForEdition(edition) : EmulatorQuotas.Disabled;
        return result;
    }

    private static int Number(string name, string text, int min, int max)
        => (int)Number(name, text, (long)min, max);

    private static long Number(string name, string text, long min, long max)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{name} '{text}' must be a whole number from {min} to {max}.");
}
