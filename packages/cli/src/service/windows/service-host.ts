import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import { OwlError } from '@owl/rpc';
import { SERVICE_STATUS_FIELDS } from './scm-api.ts';
import { WINDOWS_SERVICE_NAME } from './service-handle.ts';
import { keepDaemonRunning, type DaemonKeeper } from './daemon-keeper.ts';

const SERVICE_WIN32_OWN_PROCESS = 0x10;
const SERVICE_STOPPED = 1;
const SERVICE_START_PENDING = 2;
const SERVICE_STOP_PENDING = 3;
const SERVICE_RUNNING = 4;
const SERVICE_ACCEPT_STOP = 0x1;
const SERVICE_ACCEPT_SHUTDOWN = 0x4;
const SERVICE_CONTROL_STOP = 0x1;
const SERVICE_CONTROL_INTERROGATE = 0x4;
const SERVICE_CONTROL_SHUTDOWN = 0x5;
const NO_ERROR = 0;
const ERROR_CALL_NOT_IMPLEMENTED = 120;

/** Appends one line to logs/service.log: the host has no console and the daemon's log is the daemon's. */
export function serviceLogger(home: string): (line: string) => void {
  const file = path.join(home, 'logs', 'service.log');
  return (line) => {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // Nowhere else to say it.
    }
  };
}

function bindHostApi(koffi: typeof Koffi) {
  const advapi32 = koffi.load('advapi32.dll');
  koffi.struct('OWL_SERVICE_STATUS', SERVICE_STATUS_FIELDS);
  const serviceMain = koffi.proto('void __stdcall OwlServiceMain(uint32 argc, void* argv)');
  const handler = koffi.proto('uint32 __stdcall OwlServiceHandler(uint32 control, uint32 eventType, void* eventData, void* context)');
  koffi.struct('OWL_SERVICE_TABLE_ENTRYW', { lpServiceName: 'const char16_t *', lpServiceProc: 'OwlServiceMain *' });
  return {
    serviceMain,
    handler,
    dispatcher: advapi32.func('bool __stdcall StartServiceCtrlDispatcherW(OWL_SERVICE_TABLE_ENTRYW* table)'),
    registerHandler: advapi32.func('void* __stdcall RegisterServiceCtrlHandlerExW(const char16_t* name, OwlServiceHandler* handler, void* context)'),
    setStatus: advapi32.func('bool __stdcall SetServiceStatus(void* handle, OWL_SERVICE_STATUS* status)'),
    lastError: koffi.load('kernel32.dll').func('uint32 __stdcall GetLastError()'),
  };
}

/**
 * The process the Windows service manager runs (`owl service run`). It talks to the service
 * manager through advapi32 and keeps one daemon running beside it: the daemon is a separate,
 * detached process, so a daemon crash is repaired here in seconds without the service ever
 * leaving RUNNING, and a stop of the service stops the daemon cleanly (apps keep running)
 * instead of the service manager killing a process. StartServiceCtrlDispatcherW blocks for the
 * service's whole life, so it runs as a koffi async call on a worker thread; the service
 * manager calls ServiceMain and the control handler on its own threads, and koffi queues those
 * calls to this (the JS) thread, which stays free to run them.
 */
export async function runServiceHost(home: string): Promise<void> {
  const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
  const api = bindHostApi(koffi);
  const log = serviceLogger(home);
  let statusHandle: unknown = null;
  let checkPoint = 0;
  let keeper: DaemonKeeper | null = null;

  const report = (state: number, waitHintMs = 0) => {
    const accepted = state === SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    const pending = state === SERVICE_START_PENDING || state === SERVICE_STOP_PENDING;
    api.setStatus(statusHandle, {
      dwServiceType: SERVICE_WIN32_OWN_PROCESS,
      dwCurrentState: state,
      dwControlsAccepted: accepted,
      dwWin32ExitCode: NO_ERROR,
      dwServiceSpecificExitCode: 0,
      dwCheckPoint: pending ? ++checkPoint : 0,
      dwWaitHint: waitHintMs,
    });
  };

  const stopService = async (why: string) => {
    if (!keeper) return;
    log(`${why}: stopping the daemon (apps keep running)`);
    report(SERVICE_STOP_PENDING, 90_000);
    const keeping = keeper;
    keeper = null;
    await keeping.stop().catch((error: unknown) => log(`daemon stop failed: ${(error as Error).message}`));
    log('service stopped');
    report(SERVICE_STOPPED);
  };

  const handler = koffi.register((control: number) => {
    if (control === SERVICE_CONTROL_STOP || control === SERVICE_CONTROL_SHUTDOWN) {
      void stopService(control === SERVICE_CONTROL_STOP ? 'service stop requested' : 'system shutdown');
      return NO_ERROR;
    }
    return control === SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
  }, koffi.pointer(api.handler));

  const serviceMain = koffi.register(() => {
    statusHandle = api.registerHandler(WINDOWS_SERVICE_NAME, handler, null);
    if (statusHandle === null) {
      log(`RegisterServiceCtrlHandlerEx failed (Win32 error ${api.lastError()})`);
      return;
    }
    report(SERVICE_START_PENDING, 30_000);
    log(`service started (pid ${process.pid}, home ${home})`);
    keeper = keepDaemonRunning(home, log, () => report(SERVICE_RUNNING));
  }, koffi.pointer(api.serviceMain));

  const table = [
    { lpServiceName: WINDOWS_SERVICE_NAME, lpServiceProc: serviceMain },
    { lpServiceName: null, lpServiceProc: null },
  ];
  const connected = await new Promise<boolean>((resolve, reject) => {
    api.dispatcher.async(table, (error: unknown, ok: boolean) => (error ? reject(error) : resolve(ok)));
  });
  if (!connected) {
    // GetLastError belongs to the worker thread that made the call; the usual cause is this one.
    throw new OwlError('OWL_USAGE', 'owl service run is what the Windows service manager starts (StartServiceCtrlDispatcher failed); use `owl service start`, or `owl daemon run` in a console');
  }
  koffi.unregister(serviceMain);
  koffi.unregister(handler);
}
