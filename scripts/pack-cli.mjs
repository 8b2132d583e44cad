// Packs the built CLI (packages/cli/dist) as an installable npm package: `npm install -g
// <tarball>` puts `owl` on PATH outside this workspace. Everything esbuild bundles (the daemon,
// rpc, ws, zod, ...) is inside dist/; only what it leaves external (koffi: a native binary from a
// per-platform package; blessed: loads its widgets by computed name) is declared, at the version
// this workspace builds with, and comes from the npm registry at install time.
// Usage: node scripts/pack-cli.mjs [--out DIR]   (run `pnpm build` first). Prints the tarball path.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliDir = path.join(root, 'packages', 'cli');
const outIndex = process.argv.indexOf('--out');
const outDir = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(root, 'dist-pack'));
const EXTERNAL = ['koffi', 'blessed'];

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

if (!existsSync(path.join(cliDir, 'dist', 'owl.mjs'))) {
  process.stderr.write('pack-cli: packages/cli/dist/owl.mjs is missing; run `npx -y pnpm@10 build` first\n');
  process.exit(1);
}

const cli = readJson(path.join(cliDir, 'package.json'));
/** The exact version installed in the workspace, so the package runs what the tests ran. */
function installedVersion(name) {
  return readJson(path.join(cliDir, 'node_modules', name, 'package.json')).version;
}

const stage = mkdtempSync(path.join(tmpdir(), 'owl-pack-'));
try {
  cpSync(path.join(cliDir, 'dist'), path.join(stage, 'dist'), { recursive: true });
  cpSync(path.join(root, 'README.md'), path.join(stage, 'README.md'));
  const manifest = {
    name: cli.name,
    version: cli.version,
    description: 'owl: a process supervisor that keeps apps running (CLI and daemon)',
    type: 'module',
    bin: { owl: './dist/owl.mjs' },
    files: ['dist', 'README.md'],
    engines: { node: '>=20' },
    dependencies: Object.fromEntries(EXTERNAL.map((name) => [name, installedVersion(name)])),
  };
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(outDir, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' }));
  process.stdout.write(`${path.join(outDir, packed[0].filename)}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
