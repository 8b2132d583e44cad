import { runCommand } from '../process/run-command.ts';
import { win32Native, type Win32Native } from '../process/win32-native.ts';
import type { ProbeResult } from './probe-result.ts';

interface Watched {
  intervalMs: number;
  verdict: ProbeResult | undefined;
  at: number;
}

export interface WindowResponsiveOptions {
  /** The pid and its descendants (an app's window may belong to a child it started). */
  treeOf(pid: number): number[];
  /**
   * Runs one query over many pids: pid -> responding, for pids that have a visible window.
   * Defaults to one EnumWindows pass plus IsHungAppWindow per window (PowerShell when the
   * native bindings are unavailable); null when the state cannot be read.
   */
  query?(pids: readonly number[]): Promise<ReadonlyMap<number, boolean> | null>;
}

/**
 * Windows hung-window detection for every watched app at once: per tick, one EnumWindows pass
 * finds the visible top-level windows of all pids of all watched trees and IsHungAppWindow
 * judges each (Windows calls a window hung when it has not taken a message for 5 s); no
 * process is spawned. Monitors read the latest verdict. An unknown state (no answer yet, no
 * way to ask) passes: it must never get an app killed.
 */
export class WindowResponsiveWatcher {
  readonly #options: WindowResponsiveOptions;
  readonly #watched = new Map<number, Watched>();
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;

  constructor(options: WindowResponsiveOptions) {
    this.#options = options;
  }

  watch(pid: number, intervalMs: number): void {
    this.#watched.set(pid, { intervalMs, verdict: undefined, at: 0 });
    if (!this.#timer && !this.#ticking) this.#arm();
  }

  unwatch(pid: number): void {
    this.#watched.delete(pid);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watched.clear();
  }

  /** The latest verdict for a watched pid; stale or missing ones pass as unknown. */
  verdict(pid: number): ProbeResult {
    const watched = this.#watched.get(pid);
    if (!watched?.verdict || Date.now() - watched.at > 3 * watched.intervalMs + 15_000) {
      return { ok: true, detail: 'window state not known yet' };
    }
    return watched.verdict;
  }

  #arm(): void {
    if (this.#watched.size === 0) return;
    const intervalMs = Math.min(...[...this.#watched.values()].map((watched) => watched.intervalMs));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#tick().finally(() => this.#arm());
    }, intervalMs).unref();
  }

  async #tick(): Promise<void> {
    this.#ticking = true;
    try {
      const trees = new Map([...this.#watched.keys()].map((pid) => [pid, this.#options.treeOf(pid)]));
      const pids = [...new Set([...trees.values()].flat())];
      const responding = await (this.#options.query ?? queryResponding)(pids);
      if (responding === null) return;
      const at = Date.now();
      for (const [pid, tree] of trees) {
        const watched = this.#watched.get(pid);
        if (watched) Object.assign(watched, { verdict: judgeTree(tree, responding), at });
      }
    } finally {
      this.#ticking = false;
    }
  }
}

/** Judges one tree: any window that does not respond fails it; no window at all passes. */
export function judgeTree(tree: readonly number[], responding: ReadonlyMap<number, boolean>): ProbeResult {
  const windows = tree.filter((pid) => responding.has(pid));
  const hung = windows.find((pid) => responding.get(pid) === false);
  if (hung !== undefined) return { ok: false, detail: `the window of pid ${hung} is not responding` };
  if (windows.length === 0) return { ok: true, detail: 'no window to check' };
  return { ok: true, detail: `window of pid ${windows.join(', ')} responding` };
}

/** Parses `pid=True|False` lines (processes without a main window are not listed). */
export function parseRespondingOutput(text: string): Map<number, boolean> {
  const responding = new Map<number, boolean>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(\d+)=(True|False)\s*$/i.exec(line);
    if (match) responding.set(Number(match[1]), (match[2] as string).toLowerCase() === 'true');
  }
  return responding;
}

/** The PowerShell for one batched query; pids are numbers, so nothing needs quoting. */
export function respondingScript(pids: readonly number[]): string {
  return (
    `Get-Process -Id ${pids.join(',')} -ErrorAction SilentlyContinue | ` +
    "Where-Object { $_.MainWindowHandle -ne 0 } | ForEach-Object { '{0}={1}' -f $_.Id, $_.Responding }; " +
    // A pid that just exited is a non-terminating error, which would make the exit code 1.
    'exit 0'
  );
}

async function queryResponding(pids: readonly number[]): Promise<ReadonlyMap<number, boolean> | null> {
  if (pids.length === 0) return new Map();
  const native = win32Native();
  if (native) return queryNative(native, pids);
  const output = await runCommand('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', respondingScript(pids)]);
  return output === null ? null : parseRespondingOutput(output);
}

/** A pid responds when none of its visible top-level windows is hung. */
export async function queryNative(native: Pick<Win32Native, 'windowsOf' | 'isHung'>, pids: readonly number[]): Promise<Map<number, boolean>> {
  const windows = native.windowsOf(new Set(pids));
  const verdicts = await Promise.all(
    [...windows].map(async ([pid, handles]) => {
      const hung = await Promise.all(handles.map((handle) => native.isHung(handle)));
      return [pid, !hung.includes(true)] as const;
    }),
  );
  return new Map(verdicts);
}
