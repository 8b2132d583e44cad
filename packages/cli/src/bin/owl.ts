#!/usr/bin/env node
import { runQuickPath } from '../quick-path/run-quick-path.ts';

// `owl ls` and a plain `owl daemon start` take the quick path, which loads neither commander
// nor the command tree; anything it does not recognise word for word goes to the full CLI,
// loaded only then.
const run = runQuickPath(process.argv) ?? import('../run-cli.ts').then(({ runCli }) => runCli(process.argv));
run.then((code) => {
  process.exitCode = code;
});
