import { OwlError } from '@owl/rpc';
import { ERROR_ACCESS_DENIED, ERROR_SERVICE_DOES_NOT_EXIST, SERVICE_STATES, type ScmApi, type ServiceStatusProcess } from './scm-api.ts';

export const WINDOWS_SERVICE_NAME = 'owl';
const WAIT_MS = 60_000;
const POLL_MS = 250;

const ADMIN_ADVICE = 'managing a Windows service needs an administrator: run owl from an elevated prompt (Run as administrator)';

/** Opens the service manager, runs `use`, and closes every handle opened meanwhile. */
export function withManager<T>(api: ScmApi, access: number, use: (manager: unknown) => T): T {
  const manager = api.openManager(null, null, access);
  if (manager === null) {
    const error = api.lastError();
    if (error === ERROR_ACCESS_DENIED) throw new OwlError('OWL_FORBIDDEN', ADMIN_ADVICE);
    throw new OwlError('OWL_SERVICE_FAILED', `OpenSCManager failed (Win32 error ${error})`);
  }
  try {
    return use(manager);
  } finally {
    api.closeHandle(manager);
  }
}

/** The service's handle, or null when no such service is registered. */
export function openService(api: ScmApi, manager: unknown, access: number): unknown {
  const service = api.openService(manager, WINDOWS_SERVICE_NAME, access);
  if (service !== null) return service;
  const error = api.lastError();
  if (error === ERROR_SERVICE_DOES_NOT_EXIST) return null;
  if (error === ERROR_ACCESS_DENIED) throw new OwlError('OWL_FORBIDDEN', ADMIN_ADVICE);
  throw new OwlError('OWL_SERVICE_FAILED', `OpenService(${WINDOWS_SERVICE_NAME}) failed (Win32 error ${error})`);
}

export function queryStatus(api: ScmApi, service: unknown): ServiceStatusProcess {
  const status = {} as ServiceStatusProcess;
  // Level 0: SC_STATUS_PROCESS_INFO.
  if (!api.queryStatus(service, 0, status, api.statusSize, [0])) {
    throw new OwlError('OWL_SERVICE_FAILED', `QueryServiceStatusEx failed (Win32 error ${api.lastError()})`);
  }
  return status;
}

export function stateName(status: ServiceStatusProcess): string {
  return SERVICE_STATES[status.dwCurrentState] ?? `state ${status.dwCurrentState}`;
}

/** Polls until the service reaches `state` (e.g. RUNNING), or fails naming the state it is stuck in. */
export async function waitForState(api: ScmApi, service: unknown, state: string): Promise<ServiceStatusProcess> {
  const deadline = Date.now() + WAIT_MS;
  let status = queryStatus(api, service);
  while (stateName(status) !== state) {
    if (Date.now() > deadline) throw new OwlError('OWL_TIMEOUT', `service ${WINDOWS_SERVICE_NAME} did not reach ${state} within ${WAIT_MS} ms (it is ${stateName(status)})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    status = queryStatus(api, service);
  }
  return status;
}

/** A Win32 call that returned false, as an OwlError naming the call. */
export function scmFailure(api: ScmApi, call: string): OwlError {
  const error = api.lastError();
  if (error === ERROR_ACCESS_DENIED) return new OwlError('OWL_FORBIDDEN', ADMIN_ADVICE);
  return new OwlError('OWL_SERVICE_FAILED', `${call} failed (Win32 error ${error})`);
}
