// The run's temp root, tool factories and cleanup: every daemon and app the bench starts is
// stopped through its tool, then any tagged process left is killed by pid, then the root goes.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OwlTool } from './owl-tool.mjs';
import { Pm2Tool, installPm2 } from './pm2-tool.mjs';
import { findTaggedPids, killPid } from './processes.mjs';
import { gitRevision } from './report.mjs';
import { OWL_DIST } from './settings.mjs';
import { TAG_NAME } from './tag.mjs';
import { sleep } from './wait.mjs';

export class BenchContext {
  #tools = [];
  #serial = 0;
  #cleaned = false;

  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'owl-bench-'));
    this.pm2 = null;
  }

  /**
   * Copies the built owl (one self-contained bundle) into the temp root: a rebuild of the
   * working tree during the run then cannot pull the files from under a running figure.
   */
  snapshotOwl() {
    if (!existsSync(`${OWL_DIST}/owl.mjs`)) throw new Error(`no built owl at ${OWL_DIST}/owl.mjs: run \`node scripts/build.mjs\` first`);
    // The revision as of the copy: the tree may move on while the bench runs.
    this.owlRevision = gitRevision();
    const copy = path.join(this.root, 'owl-dist');
    cpSync(OWL_DIST, copy, { recursive: true });
    this.owlCli = path.join(copy, 'owl.mjs');
  }

  async installPm2() {
    this.pm2 = await installPm2(this.root);
  }

  /** Fresh homes for one owl and one PM2, each to be shut down by cleanup (or earlier). */
  newTools() {
    // After Ctrl-C the figure in flight may still reach here: start nothing new.
    if (this.#cleaned) throw new Error('the bench is cleaning up');
    this.#serial += 1;
    const tools = { owl: new OwlTool(this.root, this.#serial, this.owlCli), pm2: new Pm2Tool(this.root, this.#serial, this.pm2) };
    this.#tools.push(tools.owl, tools.pm2);
    return tools;
  }

  /** Stops a tool's daemon and apps now and sweeps any process it left behind. */
  async retire(tool) {
    await tool.shutdown();
    this.#tools = this.#tools.filter((other) => other !== tool);
    await this.sweep();
  }

  /** Kills (by pid) every process still carrying this run's tag; returns how many. */
  async sweep() {
    let killed = 0;
    for (let round = 0; round < 5; round += 1) {
      const pids = findTaggedPids(TAG_NAME, this.root);
      if (pids.length === 0) break;
      for (const pid of pids) if (killPid(pid)) killed += 1;
      await sleep(100);
    }
    return killed;
  }

  async cleanup() {
    if (this.#cleaned) return 0;
    this.#cleaned = true;
    for (const tool of this.#tools) await tool.shutdown();
    const leftovers = await this.sweep();
    rmSync(this.root, { recursive: true, force: true });
    return leftovers;
  }
}
