// Writes schema/owl.config.schema.json, the JSON Schema of owl.config.json, generated from
// the zod schema that validates it (OwlConfigSchema), so editors and owl agree.
//
//   node packages/rpc/scripts/generate-schema.mjs            regenerate the committed file
//   node packages/rpc/scripts/generate-schema.mjs --stdout   print it instead (the test compares)
//
// The contract is TypeScript and Node 20 cannot import .ts, so esbuild bundles it in memory.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const schemaFile = fileURLToPath(new URL('../schema/owl.config.schema.json', import.meta.url));

async function loadContract() {
  const bundle = await build({
    stdin: {
      contents: "export { OwlConfigSchema } from './src/contract/app-spec.ts'; export { toJSONSchema } from 'zod';",
      resolveDir: packageDir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  const code = bundle.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

export async function generateConfigSchema() {
  const { OwlConfigSchema, toJSONSchema } = await loadContract();
  // The file describes what operators write (io: input): "10s" durations, omitted defaults.
  // Draft-07 because it is the draft every editor's JSON support implements in full.
  const schema = toJSONSchema(OwlConfigSchema, { io: 'input', target: 'draft-07' });
  const { $schema, ...rest } = schema;
  const described = {
    $schema,
    title: 'owl.config.json',
    description: 'Apps for the owl process supervisor: owl apply -f owl.config.json',
    ...rest,
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

const text = await generateConfigSchema();
if (process.argv.includes('--stdout')) process.stdout.write(text);
else await writeFile(schemaFile, text);
