using System.Diagnostics;
using System.Globalization;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.Cli.Tests;

/// <summary>The <c>dataphin</c> tool as a real child process (for crash and multi-process proofs), pointed at an emulator.</summary>
internal static class ChildTool
{
    /// <summary>
    /// The start of <c>dotnet dataphin.dll &lt;args&gt;</c> with its output redirected and the emulator's endpoint, tenant and
    /// AccessKey in its environment (no STS token or region inherited from this machine); callers add their own variables.
    /// </summary>
    public static ProcessStartInfo StartInfo(DataphinEmulator emulator, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dataphin.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Variables(emulator))
        {
            start.Environment[name] = value;
        }

        start.Environment.Remove("ALIBABA_CLOUD_SECURITY_TOKEN");
        start.Environment.Remove("DATAPHIN_REGION_ID");
        return start;
    }

    /// <summary>The environment variables that point the tool at <paramref name="emulator"/>.</summary>
    public static Dictionary<string, string> Variables(DataphinEmulator emulator) => new()
    {
        ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = emulator.AccessKeyId,
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = emulator.AccessKeySecret,
        ["DATAPHIN_ENDPOINT"] = emulator.Endpoint.ToString(),
        ["DATAPHIN_TENANT_ID"] = emulator.DefaultTenantId.ToString(CultureInfo.InvariantCulture),
    };
}
