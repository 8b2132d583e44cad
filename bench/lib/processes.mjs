// Running commands with a stopwatch, and reading /proc for liveness, RSS and CPU time.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const CLOSE_GRACE_MS = 2_000;

/**
 * Runs a command and times it from spawn to exit (not to stdio close: a daemon it leaves
 * behind may hold an inherited descriptor). Resolves with ms, code and output.
 */
export function runTimed(command, args, { env = process.env, timeoutMs = 120_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ms = null;
    let code = null;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const settle = () => {
      clearTimeout(killer);
      resolve({ ms, code, stdout, stderr });
    };
    child.once('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      ms = Number(process.hrtime.bigint() - started) / 1e6;
      code = exitCode ?? signal;
      // Output normally closes with the exit; do not wait on a grandchild holding the pipe.
      const late = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, CLOSE_GRACE_MS);
      child.once('close', () => {
        clearTimeout(late);
        settle();
      });
    });
  });
}

/** Like runTimed, but a non-zero exit is an error naming the command and its stderr. */
export async function runChecked(command, args, options) {
  const result = await runTimed(command, args, options);
  if (result.code !== 0) {
    const shown = [command, ...args].map((part) => part.split('/').slice(-2).join('/')).join(' ');
    throw new Error(`${shown} exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(-800)}`);
  }
  return result;
}

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Alive and not a zombie. */
export function isAlive(pid) {
  const fields = readStat(pid);
  return fields !== null && fields[0] !== 'Z' && fields[0] !== 'X';
}

/** Resident set size in bytes, or null when the process is gone. */
export function readRss(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time in clock ticks (USER_HZ, 100 on Linux), or null when gone. */
export function readCpuTicks(pid) {
  const fields = readStat(pid);
  // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
  return fields ? Number(fields[11]) + Number(fields[12]) : null;
}
export const TICKS_PER_SECOND = 100;

export function killPid(pid, signal = 'SIGKILL') {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pids of every process carrying `name=value` in its environment: the bench tags each command
 * it runs, and daemons and apps inherit the tag, so cleanup finds exactly what it started.
 */
export function findTaggedPids(name, value) {
  const tag = `${name}=${value}`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environment = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (environment.includes(tag) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}
