// Validates rendered chart manifests (the manifests.json that chart-render
// writes) in two passes:
//
// 1. Schema: each object goes through the JSON-schema validator that
//    kubernetes-models (Kubernetes OpenAPI) or @kubernetes-models/prometheus-operator
//    (ServiceMonitor, PrometheusRule CRDs) generates. It checks types, required
//    fields, enums and formats, but accepts unknown fields.
// 2. Unknown fields: the objects are type-checked with the TypeScript compiler
//    against the same packages' interfaces. Excess-property checks reject a
//    field that the API does not define, such as a key indented one level
//    too deep, which the API server would drop or reject.
//
// Usage: node validate.mjs MANIFESTS_JSON...
// Prints one line per problem and exits with status 1 when there is any.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const validateDirectory = path.dirname(fileURLToPath(import.meta.url));

// API groups whose models come from @kubernetes-models/prometheus-operator.
const operatorGroups = new Set(["monitoring.coreos.com"]);

/** Returns the module that defines apiVersion/kind, as an import specifier. */
function modelModule(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  if (operatorGroups.has(group)) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

function describe(entry) {
  const { kind, metadata } = entry.object;
  return `${entry.source}: ${kind} ${metadata?.name ?? "(no name)"}`;
}

/** Pass 1: the generated JSON-schema validators. */
async function validateSchemas(entries, problems) {
  for (const entry of entries) {
    const { apiVersion, kind } = entry.object;
    const specifier = modelModule(apiVersion, kind);
    let model;
    try {
      model = (await import(specifier))[kind];
    } catch (error) {
      problems.push(`${describe(entry)}: no schema for apiVersion ${apiVersion} kind ${kind} (${specifier}: ${error.code ?? error.message})`);
      continue;
    }
    try {
      new model(entry.object).validate();
    } catch (error) {
      const details = (error.errors ?? []).map((item) => `${item.instancePath || "/"} ${item.message}`);
      problems.push(`${describe(entry)}: ${details.length > 0 ? details.join("; ") : error.message}`);
    }
  }
}

/** Pass 2: TypeScript excess-property and type checks. */
function checkUnknownFields(entries, problems) {
  const lines = [];
  const owners = [];
  entries.forEach((entry, index) => {
    const { apiVersion, kind } = entry.object;
    const declaration = `const object${index}: import("${modelModule(apiVersion, kind)}").I${kind} = `;
    const body = JSON.stringify(entry.object, null, 2).split("\n");
    body[0] = declaration + body[0];
    body[body.length - 1] += ";";
    for (const line of body) {
      lines.push(line);
      owners.push(entry);
    }
  });

  // The virtual file sits in this folder so that imports resolve against its node_modules.
  const fileName = path.join(validateDirectory, "rendered-manifests.ts");
  const text = lines.join("\n") + "\nexport {};\n";
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, text, languageVersion, true)
      : readSourceFile(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);

  const program = ts.createProgram([fileName], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
    if (!diagnostic.file || diagnostic.file.fileName !== fileName) {
      problems.push(`type check: ${message}`);
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    problems.push(`${describe(owners[line])}: ${message} (at: ${lines[line].trim()})`);
  }
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node validate.mjs MANIFESTS_JSON...");
    process.exit(2);
  }

  let failed = false;
  for (const file of files) {
    const entries = JSON.parse(readFileSync(file, "utf8"));
    const problems = [];
    await validateSchemas(entries, problems);
    checkUnknownFields(entries, problems);
    for (const problem of problems) {
      console.log(`${file}: ${problem}`);
    }
    if (problems.length > 0) {
      failed = true;
    } else {
      console.log(`${file}: ${entries.length} objects valid`);
    }
  }
  process.exit(failed ? 1 : 0);
}

await main();
