using Dataphin.OpenApi.Generator;

// Writes the SDK's generated sources (the operation catalog and the value-set structs) from eng/operations.json and
// eng/value-sets.json. `--check` writes nothing and exits 1 when a generated file is out of date (CI runs it).
return GeneratorCli.Run(args, Console.Out, Console.Error, Directory.GetCurrentDirectory());
