import type { ServiceManagerKind, ServiceScope } from './service-options.ts';

/** What a service verb did, one line per effect, so the operator sees every change made. */
export interface ServiceReport {
  manager: ServiceManagerKind;
  scope: ServiceScope;
  /** The unit file, plist or service name the verb acted on. */
  target: string;
  home: string;
  actions: string[];
}

export interface ServiceStatus {
  manager: ServiceManagerKind;
  scope: ServiceScope;
  target: string;
  home: string;
  installed: boolean;
  /** Starts at boot (or login, for a user unit). */
  enabled: boolean;
  /** What the service manager says, e.g. `active (running)`, `RUNNING`; null when not asked. */
  state: string | null;
  pid: number | null;
}

/** One verb of one service manager. */
export interface ServiceManager {
  install(): Promise<ServiceReport>;
  uninstall(): Promise<ServiceReport>;
  start(): Promise<ServiceReport>;
  stop(): Promise<ServiceReport>;
  status(): Promise<ServiceStatus>;
}

/** Uninstall never deletes data or stops apps; it says so. */
export const KEPT_LINE = "kept the daemon's OWL_HOME (state and logs); apps keep running";
