using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary><c>monitor inspect</c>: the signature of a model, or of every model in a repository, and how Monitor will serve it.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        Argument<string> path = new("model")
        {
            Description = "An .onnx file, a model folder (<model>/<version>/model.onnx, latest version) or a model repository (every model).",
        };
        Option<bool> json = new("--json") { Description = "Write JSON ({\"models\": [...]}) instead of tables." };

        Command command = new("inspect", "Show a model's inputs and outputs with their shapes, the producer and opset, what Monitor infers from them (task, image layout, batching) and warnings.")
        {
            path, json,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync("inspect", async () =>
        {
            IReadOnlyList<ModelDescription> models = Describe(result.GetValue(path)!);
            string output = result.GetValue(json)
                ? JsonSerializer.Serialize(new { models }, CliJson.Options)
                : FormatText(models);
            await Console.Out.WriteLineAsync(output.AsMemory(), cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<ModelDescription> Describe(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath) && !ModelLocation.IsModelFolder(fullPath) && ModelLocation.IsRepository(fullPath))
        {
            return [.. ModelRepositoryScanner.Scan(fullPath).Select(entry => ModelInspector.Describe(ModelLocation.Resolve(entry.Directory)))];
        }

        return [ModelInspector.Describe(ModelLocation.Resolve(path))];
    }

    private static string FormatText(IReadOnlyList<ModelDescription> models)
    {
        StringBuilder text = new();
        foreach (ModelDescription model in models)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(CultureInfo.InvariantCulture, $"Model {model.Name}\n");
            text.Append(CultureInfo.InvariantCulture, $"  file      {model.Path}\n");
            text.Append(CultureInfo.InvariantCulture, $"  producer  {FormatProducer(model)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  opsets    {FormatOpsets(model)} (IR version {model.IrVersion})\n\n");

            TextTable tensors = new("", "name", "type", "shape");
            foreach (TensorDescription input in model.Inputs)
            {
                tensors.AddRow("input", input.Name, input.Datatype, input.FormatDimensions());
            }

            foreach (TensorDescription output in model.Outputs)
            {
                tensors.AddRow("output", output.Name, output.Datatype, output.FormatDimensions());
            }

            text.Append(tensors).Append('\n');

            InferredSettings inferred = model.Inferred;
            text.Append("Monitor will serve it as\n");
            text.Append(CultureInfo.InvariantCulture, $"  task          {inferred.Task}{(inferred.Classes > 0 ? $", {inferred.Classes} classes: {string.Join(", ", inferred.ClassNames)}" : string.Empty)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  image layout  {inferred.ImageLayout ?? "none (not a rank-4 input with 1 or 3 channels last)"}\n");
            text.Append(CultureInfo.InvariantCulture, $"  batching      {(inferred.Batching ? "possible (symbolic first dimension)" : "not possible")}\n");
            text.Append(CultureInfo.InvariantCulture, $"  input         value * {inferred.InputScale.ToString("G", CultureInfo.InvariantCulture)} + {inferred.InputOffset.ToString("G", CultureInfo.InvariantCulture)}\n");

            foreach (string warning in model.Warnings)
            {
                text.Append(CultureInfo.InvariantCulture, $"warning: {warning}\n");
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string FormatProducer(ModelDescription model)
    {
        string name = model.Producer.Length > 0 ? model.Producer : "unknown";
        return model.ProducerVersion.Length > 0 ? $"{name} {model.ProducerVersion}" : name;
    }

    private static string FormatOpsets(ModelDescription model) =>
        model.Opsets.Count == 0 ? "none" : string.Join(", ", model.Opsets.Select(set => $"{set.Domain} {set.Version}"));
}
