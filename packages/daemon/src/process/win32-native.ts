import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** One row of a Toolhelp32 process snapshot. */
export interface Win32ProcessRow {
  pid: number;
  ppid: number;
  exe: string;
}

export interface Win32ProcessUsage {
  cpuMs: number;
  /** Creation time, epoch ms. */
  createdMs: number;
  /** Working set (resident memory), bytes. */
  memory: number;
}

export type SuspendOutcome = 'suspended' | 'gone' | 'denied';

/**
 * The Win32 calls owl makes directly (through koffi's FFI) instead of spawning wmic or
 * PowerShell: a whole process table costs microseconds instead of a process start, and some
 * things (suspending a process, asking whether a window hangs) have no command at all.
 */
export interface Win32Native {
  /** Every process with its parent and image name, from one Toolhelp32 snapshot. */
  listProcesses(): Win32ProcessRow[];
  /** Creation time as a UTC token (same shape as the wmic one), or null when not readable. */
  startTime(pid: number): string | null;
  executablePath(pid: number): string | null;
  /** CPU time used so far (kernel + user), creation time and working set; null when not readable. */
  usage(pid: number): Win32ProcessUsage | null;
  /** NtSuspendProcess: every thread of the process stops until resume(). */
  suspend(pid: number): SuspendOutcome;
  resume(pid: number): void;
  /**
   * Suspension is asynchronous (a thread inside a system call finishes it first): reading
   * each thread's context waits until it really stopped. False when that could not be confirmed.
   */
  confirmSuspended(pids: readonly number[]): boolean;
  /** Visible top-level windows of these pids, by owning pid, from one EnumWindows pass. */
  windowsOf(pids: ReadonlySet<number>): Map<number, unknown[]>;
  /** IsHungAppWindow off the main thread (Wine implements it with a blocking round trip). */
  isHung(window: unknown): Promise<boolean>;
}

const TH32CS_SNAPPROCESS = 0x2;
const TH32CS_SNAPTHREAD = 0x4;
const PROCESS_SUSPEND_RESUME = 0x0800;
export const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const THREAD_GET_CONTEXT = 0x0008;
const CONTEXT_AMD64_CONTROL = 0x0010_0001;
const CONTEXT_SIZE = 1232;
const CONTEXT_FLAGS_OFFSET = 0x30;
const STATUS_SUCCESS = 0;
// FILETIME counts 100 ns ticks from 1601-01-01; Unix time starts 11,644,473,600 s later.
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;

let loaded: { native: Win32Native | null; reason: string | null } | undefined;

/**
 * The Win32 bindings, or null off Windows or when koffi cannot be loaded (then callers fall
 * back to wmic/PowerShell, or say the feature is unavailable). Loaded once, on first use.
 */
export function win32Native(): Win32Native | null {
  loaded ??= loadNative();
  return loaded.native;
}

/** Why win32Native() is null, for the daemon log. */
export function win32NativeUnavailableReason(): string | null {
  loaded ??= loadNative();
  return loaded.reason;
}

function loadNative(): { native: Win32Native | null; reason: string | null } {
  if (process.platform !== 'win32') return { native: null, reason: 'not Windows' };
  try {
    // Loaded at run time, not bundled: koffi's native part comes from a per-platform package.
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    return { native: bindNative(koffi), reason: null };
  } catch (error) {
    return { native: null, reason: `koffi could not be loaded: ${(error as Error).message}` };
  }
}

function bindNative(koffi: typeof Koffi): Win32Native {
  const kernel32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  const user32 = koffi.load('user32.dll');
  const processEntry = koffi.struct('OWL_PROCESSENTRY32W', {
    dwSize: 'uint32',
    cntUsage: 'uint32',
    th32ProcessID: 'uint32',
    th32DefaultHeapID: 'uintptr_t',
    th32ModuleID: 'uint32',
    cntThreads: 'uint32',
    th32ParentProcessID: 'uint32',
    pcPriClassBase: 'int32',
    dwFlags: 'uint32',
    szExeFile: koffi.array('char16_t', 260, 'String'),
  });
  const threadEntry = koffi.struct('OWL_THREADENTRY32', {
    dwSize: 'uint32',
    cntUsage: 'uint32',
    th32ThreadID: 'uint32',
    th32OwnerProcessID: 'uint32',
    tpBasePri: 'int32',
    tpDeltaPri: 'int32',
    dwFlags: 'uint32',
  });
  const memoryCounters = koffi.struct('OWL_PROCESS_MEMORY_COUNTERS', {
    cb: 'uint32',
    PageFaultCount: 'uint32',
    PeakWorkingSetSize: 'size_t',
    WorkingSetSize: 'size_t',
    QuotaPeakPagedPoolUsage: 'size_t',
    QuotaPagedPoolUsage: 'size_t',
    QuotaPeakNonPagedPoolUsage: 'size_t',
    QuotaNonPagedPoolUsage: 'size_t',
    PagefileUsage: 'size_t',
    PeakPagefileUsage: 'size_t',
  });
  koffi.proto('bool __stdcall OwlEnumWindowsProc(void* hwnd, intptr_t param)');
  const api = {
    createSnapshot: kernel32.func('void* __stdcall CreateToolhelp32Snapshot(uint32 flags, uint32 pid)'),
    process32First: kernel32.func('bool __stdcall Process32FirstW(void* snapshot, _Inout_ OWL_PROCESSENTRY32W* entry)'),
    process32Next: kernel32.func('bool __stdcall Process32NextW(void* snapshot, _Inout_ OWL_PROCESSENTRY32W* entry)'),
    thread32First: kernel32.func('bool __stdcall Thread32First(void* snapshot, _Inout_ OWL_THREADENTRY32* entry)'),
    thread32Next: kernel32.func('bool __stdcall Thread32Next(void* snapshot, _Inout_ OWL_THREADENTRY32* entry)'),
    closeHandle: kernel32.func('bool __stdcall CloseHandle(void* handle)'),
    openProcess: kernel32.func('void* __stdcall OpenProcess(uint32 access, bool inherit, uint32 pid)'),
    openThread: kernel32.func('void* __stdcall OpenThread(uint32 access, bool inherit, uint32 tid)'),
    getProcessTimes: kernel32.func(
      'bool __stdcall GetProcessTimes(void* process, _Out_ uint64* creation, _Out_ uint64* exit, _Out_ uint64* kernel, _Out_ uint64* user)',
    ),
    memoryInfo: kernel32.func('bool __stdcall K32GetProcessMemoryInfo(void* process, _Out_ OWL_PROCESS_MEMORY_COUNTERS* counters, uint32 size)'),
    queryImageName: kernel32.func('bool __stdcall QueryFullProcessImageNameW(void* process, uint32 flags, _Out_ char16_t* name, _Inout_ uint32* size)'),
    getThreadContext: kernel32.func('bool __stdcall GetThreadContext(void* thread, void* context)'),
    suspendProcess: ntdll.func('int32 __stdcall NtSuspendProcess(void* process)'),
    resumeProcess: ntdll.func('int32 __stdcall NtResumeProcess(void* process)'),
    enumWindows: user32.func('bool __stdcall EnumWindows(OwlEnumWindowsProc* callback, intptr_t param)'),
    windowProcessId: user32.func('uint32 __stdcall GetWindowThreadProcessId(void* hwnd, _Out_ uint32* pid)'),
    isWindowVisible: user32.func('bool __stdcall IsWindowVisible(void* hwnd)'),
    isHungAppWindow: user32.func('bool __stdcall IsHungAppWindow(void* hwnd)'),
  };

  function withProcess<T>(pid: number, access: number, use: (handle: unknown) => T, otherwise: () => T): T {
    const handle = api.openProcess(access, false, pid);
    if (handle === null) return otherwise();
    try {
      return use(handle);
    } finally {
      api.closeHandle(handle);
    }
  }

  type SnapshotEntry = Record<string, number | string>;
  type SnapshotStep = (snapshot: unknown, entry: SnapshotEntry) => boolean;

  /** Walks one Toolhelp32 snapshot (processes or threads), calling `visit` with each entry. */
  function walkSnapshot(kind: number, entryType: Koffi.TypeObject, first: SnapshotStep, next: SnapshotStep, visit: (entry: SnapshotEntry) => void): void {
    const snapshot = api.createSnapshot(kind, 0);
    try {
      const entry: SnapshotEntry = { dwSize: koffi.sizeof(entryType) };
      for (let more = first(snapshot, entry); more; more = next(snapshot, entry)) {
        visit(entry);
        entry['dwSize'] = koffi.sizeof(entryType);
      }
    } finally {
      api.closeHandle(snapshot);
    }
  }

  function listThreads(pids: ReadonlySet<number>): number[] {
    const threads: number[] = [];
    walkSnapshot(TH32CS_SNAPTHREAD, threadEntry, api.thread32First, api.thread32Next, (entry) => {
      if (pids.has(entry['th32OwnerProcessID'] as number)) threads.push(entry['th32ThreadID'] as number);
    });
    return threads;
  }

  function listProcesses(): Win32ProcessRow[] {
    const rows: Win32ProcessRow[] = [];
    walkSnapshot(TH32CS_SNAPPROCESS, processEntry, api.process32First, api.process32Next, (entry) => {
      rows.push({ pid: entry['th32ProcessID'] as number, ppid: entry['th32ParentProcessID'] as number, exe: String(entry['szExeFile']) });
    });
    return rows;
  }

  return {
    listProcesses,
    startTime(pid) {
      return withProcess(
        pid,
        PROCESS_QUERY_LIMITED_INFORMATION,
        (handle) => {
          const creation = [0n];
          if (!api.getProcessTimes(handle, creation, [0n], [0n], [0n])) return null;
          return formatFiletime(BigInt(creation[0] ?? 0));
        },
        () => null,
      );
    },
    usage(pid) {
      return withProcess(
        pid,
        PROCESS_QUERY_LIMITED_INFORMATION,
        (handle) => {
          const [creation, kernel, user] = [[0n], [0n], [0n]];
          if (!api.getProcessTimes(handle, creation, [0n], kernel, user)) return null;
          const counters: Record<string, number> = {};
          if (!api.memoryInfo(handle, counters, koffi.sizeof(memoryCounters))) return null;
          const cpuTicks = BigInt(kernel[0] ?? 0) + BigInt(user[0] ?? 0);
          return { cpuMs: Number(cpuTicks / 10_000n), createdMs: filetimeToEpochMs(BigInt(creation[0] ?? 0)), memory: Number(counters['WorkingSetSize'] ?? 0) };
        },
        () => null,
      );
    },
    executablePath(pid) {
      return withProcess(
        pid,
        PROCESS_QUERY_LIMITED_INFORMATION,
        (handle) => {
          const name = Buffer.alloc(32_768 * 2);
          const size = [32_768];
          if (!api.queryImageName(handle, 0, name, size)) return null;
          return name.toString('utf16le', 0, (size[0] ?? 0) * 2);
        },
        () => null,
      );
    },
    suspend(pid) {
      return withProcess(
        pid,
        PROCESS_SUSPEND_RESUME,
        (handle) => (api.suspendProcess(handle) === STATUS_SUCCESS ? 'suspended' : 'denied'),
        // Not opened: refused if the process is still there, else it exited meanwhile.
        () => (listProcesses().some((row) => row.pid === pid) ? 'denied' : 'gone'),
      );
    },
    resume(pid) {
      withProcess(
        pid,
        PROCESS_SUSPEND_RESUME,
        (handle) => api.resumeProcess(handle),
        () => undefined,
      );
    },
    confirmSuspended(pids) {
      for (const tid of listThreads(new Set(pids))) {
        const thread = api.openThread(THREAD_GET_CONTEXT, false, tid);
        // The thread exited since the snapshot: it cannot write any more.
        if (thread === null) continue;
        // An x64 CONTEXT must be 16-byte aligned, which malloc (behind koffi.alloc) is on Win64.
        const context = koffi.alloc('uint8', CONTEXT_SIZE);
        try {
          koffi.encode(context, CONTEXT_FLAGS_OFFSET, 'uint32', CONTEXT_AMD64_CONTROL);
          if (!api.getThreadContext(thread, context)) return false;
        } finally {
          koffi.free(context);
          api.closeHandle(thread);
        }
      }
      return true;
    },
    windowsOf(pids) {
      const windows = new Map<number, unknown[]>();
      const owner = [0];
      api.enumWindows((hwnd: unknown) => {
        api.windowProcessId(hwnd, owner);
        const pid = owner[0] ?? 0;
        if (pids.has(pid) && api.isWindowVisible(hwnd)) windows.set(pid, [...(windows.get(pid) ?? []), hwnd]);
        return true;
      }, 0);
      return windows;
    },
    isHung(window) {
      return new Promise((resolve, reject) => {
        api.isHungAppWindow.async(window, (error: unknown, hung: boolean) => (error ? reject(error as Error) : resolve(hung)));
      });
    },
  };
}

/** A FILETIME as the UTC token start-time.ts uses for Windows (microsecond precision). */
export function formatFiletime(filetime: bigint): string {
  const micros = (filetime / 10n) % 1_000_000n;
  return `${new Date(filetimeToEpochMs(filetime)).toISOString().slice(0, 19)}.${micros.toString().padStart(6, '0')}Z`;
}

function filetimeToEpochMs(filetime: bigint): number {
  return Number(filetime / 10_000n - FILETIME_UNIX_EPOCH_MS);
}
