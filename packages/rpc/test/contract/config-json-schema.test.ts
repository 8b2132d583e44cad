import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/generate-schema.mjs', import.meta.url));
const committed = fileURLToPath(new URL('../../schema/owl.config.schema.json', import.meta.url));

it('the committed owl.config.schema.json matches OwlConfigSchema', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [script, '--stdout']);
  const onDisk = await readFile(committed, 'utf8');
  expect(onDisk, 'out of date: run node packages/rpc/scripts/generate-schema.mjs').toBe(stdout);
});

it('describes the input shape: durations as strings or numbers, unknown keys refused', async () => {
  const schema = JSON.parse(await readFile(committed, 'utf8'));
  const app = schema.properties.apps.items;
  expect(schema.required).toEqual(['apps']);
  expect(app.required).toEqual(['name', 'command']);
  expect(app.additionalProperties).toBe(false);
  expect(app.properties.restart.properties.minUptime.type).toEqual(['string', 'number']);
  expect(app.properties.launch.properties.mode.enum).toEqual(['always', 'scheduled', 'off']);
});
