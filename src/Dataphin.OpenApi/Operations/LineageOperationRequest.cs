using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi.Operations;

/// <summary>
/// A hand-written lineage command as a request of the generated path: checked with the command's own rules
/// (<see cref="LineageCommandValidator"/>) and written exactly as <see cref="DataphinClient.AddRegisterLineageAsync(long, AddRegisterLineageCommand, CancellationToken)"/>
/// writes it (<see cref="DataphinJson"/> into the command's form field).
/// </summary>
internal sealed class LineageOperationRequest(LineageCommand command) : IOperationRequest
{
    public void Validate(OperationValidator validator)
    {
        var errors = new List<DataphinValidationError>();
        LineageCommandValidator.ValidateCommand(command, errors);
        foreach (var error in errors)
        {
            validator.Add(error);
        }
    }

    public void Write(OperationWriter writer) => writer.Form(command.FormFieldName, DataphinJson.Serialize(command));
}
