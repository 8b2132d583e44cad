import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { OwlError } from '@owl/rpc';
import { planUserSessionLaunch, type UserSessionPlan } from './user-session-plan.ts';
import { environmentBlock, windowsCommandLine } from './windows-command-line.ts';

export type WindowVisibility = 'normal' | 'hidden' | 'minimized' | 'maximized';

export interface UserSessionLaunch {
  executable: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdoutPath: string;
  stderrPath: string;
  visibility: WindowVisibility;
}

export interface UserSessionProcess {
  pid: number;
  session: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// ShowWindow codes for STARTUPINFO.wShowWindow; minimized without taking the focus from the user.
const SHOW_WINDOW: Record<WindowVisibility, number> = { normal: 1, hidden: 0, minimized: 7, maximized: 3 };
const STARTF_USESHOWWINDOW = 0x1;
const STARTF_USESTDHANDLES = 0x100;
const CREATE_NEW_CONSOLE = 0x10;
const CREATE_NEW_PROCESS_GROUP = 0x200;
const CREATE_UNICODE_ENVIRONMENT = 0x400;
const CREATE_NO_WINDOW = 0x0800_0000;
const FILE_APPEND_DATA = 0x4;
const SYNCHRONIZE = 0x0010_0000;
const FILE_SHARE_ALL = 0x7;
const OPEN_ALWAYS = 4;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const STILL_ACTIVE = 259;
const EXIT_POLL_MS = 500;
// INVALID_HANDLE_VALUE, (HANDLE)-1, as an unsigned address.
const INVALID_HANDLE = 0xffff_ffff_ffff_ffffn;

function bind(koffi: typeof Koffi) {
  const kernel32 = koffi.load('kernel32.dll');
  const advapi32 = koffi.load('advapi32.dll');
  const wtsapi32 = koffi.load('wtsapi32.dll');
  koffi.struct('OWL_SECURITY_ATTRIBUTES', { nLength: 'uint32', lpSecurityDescriptor: 'void *', bInheritHandle: 'int32' });
  const startupInfo = koffi.struct('OWL_STARTUPINFOW', {
    cb: 'uint32', lpReserved: 'void *', lpDesktop: 'const char16_t *', lpTitle: 'void *',
    dwX: 'uint32', dwY: 'uint32', dwXSize: 'uint32', dwYSize: 'uint32', dwXCountChars: 'uint32', dwYCountChars: 'uint32',
    dwFillAttribute: 'uint32', dwFlags: 'uint32', wShowWindow: 'uint16', cbReserved2: 'uint16', lpReserved2: 'void *',
    hStdInput: 'void *', hStdOutput: 'void *', hStdError: 'void *',
  });
  koffi.struct('OWL_PROCESS_INFORMATION', { hProcess: 'void *', hThread: 'void *', dwProcessId: 'uint32', dwThreadId: 'uint32' });
  return {
    startupInfoSize: koffi.sizeof(startupInfo),
    activeConsoleSession: kernel32.func('uint32 __stdcall WTSGetActiveConsoleSessionId()'),
    processSession: kernel32.func('bool __stdcall ProcessIdToSessionId(uint32 pid, _Out_ uint32* session)'),
    queryUserToken: wtsapi32.func('bool __stdcall WTSQueryUserToken(uint32 session, _Out_ void** token)'),
    createFile: kernel32.func('void* __stdcall CreateFileW(const char16_t* name, uint32 access, uint32 share, OWL_SECURITY_ATTRIBUTES* security, uint32 disposition, uint32 flags, void* template)'),
    createProcessAsUser: advapi32.func(
      'bool __stdcall CreateProcessAsUserW(void* token, const char16_t* application, void* commandLine, void* processSecurity, void* threadSecurity, bool inherit, uint32 flags, void* environment, const char16_t* cwd, OWL_STARTUPINFOW* startup, _Out_ OWL_PROCESS_INFORMATION* info)',
    ),
    exitCode: kernel32.func('bool __stdcall GetExitCodeProcess(void* process, _Out_ uint32* code)'),
    closeHandle: kernel32.func('bool __stdcall CloseHandle(void* handle)'),
    lastError: kernel32.func('uint32 __stdcall GetLastError()'),
    address: (handle: unknown) => koffi.address(handle),
  };
}

type Api = ReturnType<typeof bind>;
let api: Api | undefined;

function loadApi(): Api {
  // Loaded at run time, not bundled: koffi's native part comes from a per-platform package.
  api ??= bind(createRequire(import.meta.url)('koffi') as typeof Koffi);
  return api;
}

/** Asks Windows who is at the console and whether this process may act for them. */
export function planForConsoleUser(): { plan: UserSessionPlan; token: unknown } {
  const win = loadApi();
  const activeSession = win.activeConsoleSession();
  const own = [0];
  const ownSession = win.processSession(process.pid, own) ? (own[0] ?? null) : null;
  const token: unknown[] = [null];
  const tokenError = win.queryUserToken(activeSession, token) ? null : win.lastError();
  return { plan: planUserSessionLaunch({ activeSession, ownSession, tokenError }), token: tokenError === null ? token[0] : null };
}

function openAppendHandle(win: Api, file: string): unknown {
  const handle = win.createFile(file, FILE_APPEND_DATA | SYNCHRONIZE, FILE_SHARE_ALL, { nLength: 24, lpSecurityDescriptor: null, bInheritHandle: 1 }, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, null);
  if (handle === null || BigInt.asUintN(64, BigInt(win.address(handle))) === INVALID_HANDLE) {
    throw new OwlError('OWL_SPAWN_FAILED', `cannot open ${file} for the app's output (Win32 error ${win.lastError()})`);
  }
  return handle;
}

/** Polls the process handle (kept open, so the pid cannot be reused meanwhile) until it exits. */
function watchExit(win: Api, handle: unknown): UserSessionProcess['exited'] {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const code = [0];
      if (win.exitCode(handle, code) && code[0] === STILL_ACTIVE) return;
      clearInterval(timer);
      win.closeHandle(handle);
      resolve({ code: code[0] ?? null, signal: null });
    }, EXIT_POLL_MS);
    timer.unref();
  });
}

/**
 * CreateProcessAsUser with the console user's token onto their desktop (winsta0\default), the
 * app's output going to its log files through inherited append handles, as for any app.
 */
export function spawnAsConsoleUser(token: unknown, session: number, launch: UserSessionLaunch): UserSessionProcess {
  const win = loadApi();
  const out = openAppendHandle(win, launch.stdoutPath);
  let err: unknown = null;
  try {
    err = openAppendHandle(win, launch.stderrPath);
    const hidden = launch.visibility === 'hidden';
    const startup = {
      cb: win.startupInfoSize, lpReserved: null, lpDesktop: 'winsta0\\default', lpTitle: null,
      dwX: 0, dwY: 0, dwXSize: 0, dwYSize: 0, dwXCountChars: 0, dwYCountChars: 0, dwFillAttribute: 0,
      dwFlags: STARTF_USESHOWWINDOW | STARTF_USESTDHANDLES, wShowWindow: SHOW_WINDOW[launch.visibility], cbReserved2: 0, lpReserved2: null,
      hStdInput: null, hStdOutput: out, hStdError: err,
    };
    const flags = CREATE_UNICODE_ENVIRONMENT | CREATE_NEW_PROCESS_GROUP | (hidden ? CREATE_NO_WINDOW : CREATE_NEW_CONSOLE);
    const info: Record<string, unknown> = {};
    const commandLine = Buffer.from(`${windowsCommandLine(launch.executable, launch.args)}\0`, 'utf16le');
    if (!win.createProcessAsUser(token, launch.executable, commandLine, null, null, true, flags, environmentBlock(launch.env), launch.cwd, startup, info)) {
      throw new OwlError('OWL_SPAWN_FAILED', `CreateProcessAsUser failed for "${launch.executable}" (Win32 error ${win.lastError()})`);
    }
    const pid = info['dwProcessId'] as number;
    win.closeHandle(info['hThread']);
    return { pid, session, exited: watchExit(win, info['hProcess']) };
  } finally {
    win.closeHandle(out);
    if (err !== null) win.closeHandle(err);
    win.closeHandle(token);
  }
}
