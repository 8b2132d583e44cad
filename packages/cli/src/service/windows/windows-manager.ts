import { OwlError } from '@owl/rpc';
import { daemonRunCommand } from '../daemon-command.ts';
import type { ServiceOptions } from '../service-options.ts';
import { KEPT_LINE, type ServiceManager, type ServiceReport, type ServiceStatus } from '../service-report.ts';
import {
  bindScm,
  ERROR_INVALID_LEVEL,
  ERROR_SERVICE_ALREADY_RUNNING,
  ERROR_SERVICE_NOT_ACTIVE,
  SC_ACTION_RESTART,
  SC_MANAGER_CONNECT,
  SC_MANAGER_CREATE_SERVICE,
  SERVICE_ALL_ACCESS,
  SERVICE_AUTO_START,
  SERVICE_CONFIG_DESCRIPTION,
  SERVICE_CONFIG_FAILURE_ACTIONS,
  SERVICE_CONFIG_FAILURE_ACTIONS_FLAG,
  SERVICE_CONTROL_STOP,
  SERVICE_ERROR_NORMAL,
  SERVICE_QUERY_STATUS,
  SERVICE_WIN32_OWN_PROCESS,
  type ScmApi,
} from './scm-api.ts';
import { openService, queryStatus, scmFailure, stateName, waitForState, WINDOWS_SERVICE_NAME, withManager } from './service-handle.ts';

/** Recovery: restart the service host after 5 s, 10 s, then every 30 s; forget failures after a day. */
export const FAILURE_RESTART_DELAYS_MS = [5_000, 10_000, 30_000];
export const FAILURE_RESET_SECONDS = 86_400;
const DESCRIPTION = 'owl process supervisor: keeps the apps of this machine running (OWL_HOME in the command line)';

/** One command-line word as CommandLineToArgvW reads it back (owl's paths hold no quotes). */
function quoteWindowsWord(word: string): string {
  return /[\s"]/.test(word) || word === '' ? `"${word}"` : word;
}

export function windowsServiceCommandLine(home: string): string {
  return daemonRunCommand(home, ['service', 'run']).map(quoteWindowsWord).join(' ');
}

/** Sets description and failure actions; returns what it could not set (Wine lacks the flag level). */
function applyRecovery(api: ScmApi, service: unknown): string[] {
  if (!api.setDescription(service, SERVICE_CONFIG_DESCRIPTION, { lpDescription: DESCRIPTION })) throw scmFailure(api, 'ChangeServiceConfig2(description)');
  const actions = FAILURE_RESTART_DELAYS_MS.map((delay) => ({ Type: SC_ACTION_RESTART, Delay: delay }));
  const failure = { dwResetPeriod: FAILURE_RESET_SECONDS, lpRebootMsg: null, lpCommand: null, cActions: actions.length, lpsaActions: actions };
  if (!api.setFailureActions(service, SERVICE_CONFIG_FAILURE_ACTIONS, failure)) throw scmFailure(api, 'ChangeServiceConfig2(failure actions)');
  // Also when the host exits with an error code rather than crashing (Windows Vista and later).
  if (api.setFailureActionsFlag(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, { fFailureActionsOnNonCrashFailures: 1 })) return [];
  if (api.lastError() !== ERROR_INVALID_LEVEL) throw scmFailure(api, 'ChangeServiceConfig2(failure actions flag)');
  return ['note: this service manager does not support failure actions on non-crash exits (SERVICE_CONFIG_FAILURE_ACTIONS_FLAG)'];
}

async function startAndWait(api: ScmApi, service: unknown): Promise<string> {
  if (stateName(queryStatus(api, service)) === 'RUNNING') return `service ${WINDOWS_SERVICE_NAME} already running`;
  if (!api.start(service, 0, null) && api.lastError() !== ERROR_SERVICE_ALREADY_RUNNING) throw scmFailure(api, 'StartService');
  const status = await waitForState(api, service, 'RUNNING');
  return `started service ${WINDOWS_SERVICE_NAME} (pid ${status.dwProcessId})`;
}

async function stopAndWait(api: ScmApi, service: unknown): Promise<string | null> {
  if (stateName(queryStatus(api, service)) === 'STOPPED') return null;
  if (!api.control(service, SERVICE_CONTROL_STOP, {}) && api.lastError() !== ERROR_SERVICE_NOT_ACTIVE) throw scmFailure(api, 'ControlService(stop)');
  await waitForState(api, service, 'STOPPED');
  return `stopped service ${WINDOWS_SERVICE_NAME} (the daemon only; apps keep running)`;
}

function notInstalled(): OwlError {
  return new OwlError('OWL_NOT_FOUND', `no service ${WINDOWS_SERVICE_NAME} is installed; run \`owl service install\` first`);
}

export function createWindowsManager(options: ServiceOptions): ServiceManager {
  const api = bindScm();
  const commandLine = windowsServiceCommandLine(options.home);
  const report = (actions: string[]): ServiceReport => ({ manager: 'windows', scope: 'system', target: WINDOWS_SERVICE_NAME, home: options.home, actions });

  /** Runs `use` with the service's handle (null when not installed), closing both handles after. */
  function withService<T>(access: number, use: (service: unknown, manager: unknown) => Promise<T>): Promise<T> {
    return withManager(api, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, async (manager) => {
      const service = openService(api, manager, access);
      try {
        return await use(service, manager);
      } finally {
        if (service !== null) api.closeHandle(service);
      }
    });
  }

  return {
    install: () =>
      withService(SERVICE_ALL_ACCESS, async (existing, manager) => {
        const actions: string[] = [];
        let service = existing;
        if (service === null) {
          service = api.createService(manager, WINDOWS_SERVICE_NAME, 'owl', SERVICE_ALL_ACCESS, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, commandLine, null, null, null, null, null);
          if (service === null) throw scmFailure(api, 'CreateService');
          actions.push(`created service ${WINDOWS_SERVICE_NAME} (auto start, LocalSystem): ${commandLine}`);
        } else {
          const NO_CHANGE = 0xffffffff;
          if (!api.changeConfig(service, SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, NO_CHANGE, commandLine, null, null, null, null, null, 'owl')) throw scmFailure(api, 'ChangeServiceConfig');
          // A running service keeps the command line it started with until it next starts.
          actions.push(`service ${WINDOWS_SERVICE_NAME} already installed; configuration re-applied (a running service uses it from its next start): ${commandLine}`);
        }
        try {
          const notes = applyRecovery(api, service);
          actions.push(`recovery: restart after ${FAILURE_RESTART_DELAYS_MS.map((ms) => `${ms / 1000} s`).join(', ')}; failure count reset after ${FAILURE_RESET_SECONDS / 3600} h`, ...notes);
          actions.push(await startAndWait(api, service));
        } finally {
          if (existing === null) api.closeHandle(service);
        }
        return report(actions);
      }),

    uninstall: () =>
      withService(SERVICE_ALL_ACCESS, async (service) => {
        if (service === null) return report([`not installed: no service ${WINDOWS_SERVICE_NAME}`, KEPT_LINE]);
        const actions: string[] = [];
        const stopped = await stopAndWait(api, service);
        if (stopped) actions.push(stopped);
        if (!api.deleteService(service)) throw scmFailure(api, 'DeleteService');
        actions.push(`removed service ${WINDOWS_SERVICE_NAME}`, KEPT_LINE);
        return report(actions);
      }),

    start: () =>
      withService(SERVICE_ALL_ACCESS, async (service) => {
        if (service === null) throw notInstalled();
        return report([await startAndWait(api, service)]);
      }),

    stop: () =>
      withService(SERVICE_ALL_ACCESS, async (service) => {
        if (service === null) throw notInstalled();
        return report([(await stopAndWait(api, service)) ?? `service ${WINDOWS_SERVICE_NAME} is not running`]);
      }),

    status: () =>
      withManager(api, SC_MANAGER_CONNECT, async (manager): Promise<ServiceStatus> => {
        const service = openService(api, manager, SERVICE_QUERY_STATUS);
        const base = { manager: 'windows' as const, scope: 'system' as const, target: WINDOWS_SERVICE_NAME, home: options.home };
        if (service === null) return { ...base, installed: false, enabled: false, state: null, pid: null };
        try {
          const status = queryStatus(api, service);
          return { ...base, installed: true, enabled: true, state: stateName(status), pid: status.dwProcessId || null };
        } finally {
          api.closeHandle(service);
        }
      }),
  };
}
