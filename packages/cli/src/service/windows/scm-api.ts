import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

// Access rights and codes from winsvc.h.
export const SC_MANAGER_CONNECT = 0x0001;
export const SC_MANAGER_CREATE_SERVICE = 0x0002;
export const SERVICE_ALL_ACCESS = 0xf01ff;
export const SERVICE_QUERY_STATUS = 0x0004;
export const SERVICE_WIN32_OWN_PROCESS = 0x10;
export const SERVICE_AUTO_START = 0x2;
export const SERVICE_ERROR_NORMAL = 0x1;
export const SERVICE_CONFIG_DESCRIPTION = 1;
export const SERVICE_CONFIG_FAILURE_ACTIONS = 2;
export const SERVICE_CONFIG_FAILURE_ACTIONS_FLAG = 4;
export const SC_ACTION_RESTART = 1;
export const SERVICE_CONTROL_STOP = 0x1;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_INVALID_LEVEL = 124;
export const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
export const ERROR_SERVICE_EXISTS = 1073;
export const ERROR_SERVICE_ALREADY_RUNNING = 1056;
export const ERROR_SERVICE_NOT_ACTIVE = 1062;

export const SERVICE_STATES: Record<number, string> = {
  1: 'STOPPED',
  2: 'START_PENDING',
  3: 'STOP_PENDING',
  4: 'RUNNING',
  5: 'CONTINUE_PENDING',
  6: 'PAUSE_PENDING',
  7: 'PAUSED',
};

export interface ServiceStatusProcess {
  dwServiceType: number;
  dwCurrentState: number;
  dwControlsAccepted: number;
  dwWin32ExitCode: number;
  dwServiceSpecificExitCode: number;
  dwCheckPoint: number;
  dwWaitHint: number;
  dwProcessId: number;
  dwServiceFlags: number;
}

/** SERVICE_STATUS; SERVICE_STATUS_PROCESS extends it with the pid and flags. */
export const SERVICE_STATUS_FIELDS = {
  dwServiceType: 'uint32',
  dwCurrentState: 'uint32',
  dwControlsAccepted: 'uint32',
  dwWin32ExitCode: 'uint32',
  dwServiceSpecificExitCode: 'uint32',
  dwCheckPoint: 'uint32',
  dwWaitHint: 'uint32',
} as const;

/** advapi32's service calls, bound once through koffi (the FFI the daemon already uses on Windows). */
export function bindScm() {
  const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
  const advapi32 = koffi.load('advapi32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const statusStruct = koffi.struct('OWL_SERVICE_STATUS_PROCESS', { ...SERVICE_STATUS_FIELDS, dwProcessId: 'uint32', dwServiceFlags: 'uint32' });
  koffi.struct('OWL_SC_ACTION', { Type: 'uint32', Delay: 'uint32' });
  koffi.struct('OWL_SERVICE_FAILURE_ACTIONSW', {
    dwResetPeriod: 'uint32',
    lpRebootMsg: 'const char16_t *',
    lpCommand: 'const char16_t *',
    cActions: 'uint32',
    lpsaActions: 'OWL_SC_ACTION *',
  });
  koffi.struct('OWL_SERVICE_DESCRIPTIONW', { lpDescription: 'const char16_t *' });
  koffi.struct('OWL_SERVICE_FAILURE_ACTIONS_FLAG', { fFailureActionsOnNonCrashFailures: 'int32' });
  return {
    statusSize: koffi.sizeof(statusStruct),
    openManager: advapi32.func('void* __stdcall OpenSCManagerW(const char16_t* machine, const char16_t* database, uint32 access)'),
    createService: advapi32.func(
      'void* __stdcall CreateServiceW(void* manager, const char16_t* name, const char16_t* display, uint32 access, uint32 type, uint32 start, uint32 errorControl, const char16_t* binaryPath, const char16_t* group, void* tagId, const char16_t* dependencies, const char16_t* account, const char16_t* password)',
    ),
    openService: advapi32.func('void* __stdcall OpenServiceW(void* manager, const char16_t* name, uint32 access)'),
    changeConfig: advapi32.func(
      'bool __stdcall ChangeServiceConfigW(void* service, uint32 type, uint32 start, uint32 errorControl, const char16_t* binaryPath, const char16_t* group, void* tagId, const char16_t* dependencies, const char16_t* account, const char16_t* password, const char16_t* display)',
    ),
    setDescription: advapi32.func('bool __stdcall ChangeServiceConfig2W(void* service, uint32 level, OWL_SERVICE_DESCRIPTIONW* info)'),
    setFailureActions: advapi32.func('bool __stdcall ChangeServiceConfig2W(void* service, uint32 level, OWL_SERVICE_FAILURE_ACTIONSW* info)'),
    setFailureActionsFlag: advapi32.func('bool __stdcall ChangeServiceConfig2W(void* service, uint32 level, OWL_SERVICE_FAILURE_ACTIONS_FLAG* info)'),
    start: advapi32.func('bool __stdcall StartServiceW(void* service, uint32 argc, void* argv)'),
    control: advapi32.func('bool __stdcall ControlService(void* service, uint32 control, _Out_ OWL_SERVICE_STATUS_PROCESS* status)'),
    queryStatus: advapi32.func('bool __stdcall QueryServiceStatusEx(void* service, int level, _Out_ OWL_SERVICE_STATUS_PROCESS* status, uint32 size, _Out_ uint32* needed)'),
    deleteService: advapi32.func('bool __stdcall DeleteService(void* service)'),
    closeHandle: advapi32.func('bool __stdcall CloseServiceHandle(void* handle)'),
    lastError: kernel32.func('uint32 __stdcall GetLastError()'),
  };
}

export type ScmApi = ReturnType<typeof bindScm>;
