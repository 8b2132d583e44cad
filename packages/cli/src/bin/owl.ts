#!/usr/bin/env node
import { runReadPath } from '../read-path/run-read-path.ts';

// `owl ls` takes the read path, which loads neither commander nor the command tree; anything
// it does not recognise word for word goes to the full CLI, loaded only then.
const run = runReadPath(process.argv) ?? import('../run-cli.ts').then(({ runCli }) => runCli(process.argv));
run.then((code) => {
  process.exitCode = code;
});
