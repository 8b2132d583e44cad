// Bundles the CLI and the daemon into packages/cli/dist: one file each plus shared chunks,
// so `owl` starts without resolving hundreds of modules and loads the daemon code lazily.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/cli/dist`;

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    owl: `${root}packages/cli/src/bin/owl.ts`,
    owld: `${root}packages/daemon/src/bin/owld.ts`,
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: true,
  chunkNames: '[name]-[hash]',
  // Loaded from node_modules at run time: koffi's native part comes from a per-platform
  // package; blessed requires its widgets by computed name and reads terminfo beside itself.
  external: ['koffi', 'blessed'],
  // CommonJS dependencies (ws, pidusage) call require() for node built-ins.
  banner: { js: "import { createRequire as __owlCreateRequire } from 'node:module'; const require = __owlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
process.stdout.write(`built ${outdir}\n`);
