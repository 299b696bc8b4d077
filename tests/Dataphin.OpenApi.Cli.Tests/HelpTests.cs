using System.CommandLine;

namespace Dataphin.OpenApi.Cli.Tests;

public class HelpTests
{
    [Fact]
    public void Every_command_option_and_argument_has_help_text()
    {
        var root = CliApp.BuildRootCommand(TextWriter.Null, TextWriter.Null, new CliEnvironment());
        var missing = new List<string>();
        void Visit(Command command, string path)
        {
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                missing.Add(path);
            }

            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path} <{a.Name}>"));
            foreach (var sub in command.Subcommands)
            {
                Visit(sub, path + " " + sub.Name);
            }
        }

        Visit(root, "dataphin");

        Assert.Empty(missing);
        Assert.Equal(["lineage", "openlineage", "serve", "emulator", "whoami", "config"], root.Subcommands.Select(c => c.Name));
        Assert.Equal(["set", "get", "list"], root.Subcommands[5].Subcommands.Select(c => c.Name));
        Assert.Equal(["add", "delete", "show", "plan", "apply", "export"], root.Subcommands[0].Subcommands.Select(c => c.Name));
    }

    [Theory]
    [InlineData("lineage", "add", "--failures-out")]
    [InlineData("lineage", "delete", "--dry-run")]
    [InlineData("openlineage", "import", "--mapping")]
    [InlineData("lineage", "show", "--table")]
    [InlineData("lineage", "plan", "--state")]
    [InlineData("lineage", "apply", "--auto-approve")]
    [InlineData("lineage", "export", "--render")]
    [InlineData("lineage", "add", "--profile")]
    [InlineData("config", "set", "accessKeySecret")]
    public async Task Help_of_a_command_goes_to_stdout_and_exits_0(string group, string command, string option)
    {
        var run = await CliRun.RunAsync(null, group, command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(option, run.Stdout);
        Assert.Contains("Usage:", run.Stdout);
    }

    [Fact]
    public async Task Show_offers_only_the_options_it_uses()
    {
        var help = await CliRun.RunAsync(null, "lineage", "show", "--help");
        var misuse = await CliRun.RunAsync(null, "lineage", "show", "--table", "odps.1.a.b", "--concurrency", "4");

        Assert.Contains("--endpoint", help.Stdout);
        Assert.DoesNotContain("--concurrency", help.Stdout);
        Assert.DoesNotContain("--op-user-id", help.Stdout);
        Assert.Equal(2, misuse.ExitCode);
        Assert.Contains("--concurrency", misuse.Stderr);
    }
}
