namespace Dataphin.OpenApi.Generator;

/// <summary>
/// An input file is missing or says something the generator cannot turn into code. The message names the file and
/// the place in it (operation, field, value set) and the rule that was broken; nothing is written.
/// </summary>
internal sealed class GeneratorInputException(string message) : Exception(message);
