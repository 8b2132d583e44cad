// Bundles the CLI and the daemon into packages/cli/dist: one file each plus chunks for what
// they load lazily, so `owl` starts without resolving hundreds of modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}packages/cli/dist`;

await rm(outdir, { recursive: true, force: true });
const shared = {
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  // ioredis's errors take their names from their constructors (the CLI build drops this).
  keepNames: true,
  chunkNames: '[name]-[hash]',
  // Loaded from node_modules at run time: koffi's native part comes from a per-platform
  // package; blessed requires its widgets by computed name and reads terminfo beside itself.
  external: ['koffi', 'blessed'],
  // CommonJS dependencies (ws, pidusage) call require() for node built-ins.
  banner: { js: "import { createRequire as __owlCreateRequire } from 'node:module'; const require = __owlCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};
// The packages `owl` imports lazily (`owl daemon run`, `owl audit verify`, `owl dash`) are
// bundles of their own, loaded by file name at run time. Bundled into the CLI they would share
// code with its entry, and esbuild would cut that shared code into a dozen small chunks which
// every `owl` call then loads (the ESM loader's cost per file dominates a short CLI call).
const lazyPackages = { '@owl/daemon': 'owl-daemon', '@owl/daemon/audit': 'owl-audit', '@owl/console': 'owl-console' };
const loadLazyPackagesByFile = {
  name: 'lazy-packages-by-file',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@owl\/(daemon|daemon\/audit|console)$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: `./${lazyPackages[args.path]}.mjs`, external: true } : undefined,
    );
  },
};

// Three builds, not one: what `owl` and `owld` load at start is no longer cut into chunks
// shared with the other entry; code the three share is written more than once (disk only).
// Nothing in the CLI's graph reads a function's or class's name, so it skips keepNames'
// wrappers (a few ms of every call).
// `owl ls` and a plain `owl daemon start` run from owl.mjs and what it imports alone (the quick
// path, src/quick-path); the full CLI is a build of its own, owl-cli.mjs, loaded by file name
// for every other command. In one build esbuild would cut the code both share into chunks,
// files that `owl ls` then loads one by one.
const loadFullCliByFile = {
  name: 'full-cli-by-file',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/run-cli\.ts$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './owl-cli.mjs', external: true } : undefined));
  },
};
await build({ ...shared, keepNames: false, entryPoints: { owl: `${root}packages/cli/src/bin/owl.ts` }, plugins: [loadLazyPackagesByFile, loadFullCliByFile] });
await build({ ...shared, keepNames: false, entryPoints: { 'owl-cli': `${root}packages/cli/src/run-cli.ts` }, plugins: [loadLazyPackagesByFile] });
await build({ ...shared, entryPoints: { owld: `${root}packages/daemon/src/bin/owld.ts` } });
await build({
  ...shared,
  entryPoints: {
    'owl-daemon': `${root}packages/daemon/src/index.ts`,
    'owl-audit': `${root}packages/daemon/src/audit/index.ts`,
    'owl-console': `${root}packages/console/src/index.ts`,
  },
});
process.stdout.write(`built ${outdir}\n`);
