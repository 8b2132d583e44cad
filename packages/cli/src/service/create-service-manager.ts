import type { ServiceOptions } from './service-options.ts';
import type { ServiceManager } from './service-report.ts';

/** The manager of this OS (or of --manager), loaded only by `owl service`. */
export async function createServiceManager(options: ServiceOptions): Promise<ServiceManager> {
  if (options.manager === 'systemd') return (await import('./systemd-manager.ts')).createSystemdManager(options);
  if (options.manager === 'launchd') return (await import('./launchd-manager.ts')).createLaunchdManager(options);
  // Loaded only on Windows: it binds advapi32 through koffi.
  const { createWindowsManager } = await import('./windows/windows-manager.ts');
  return createWindowsManager(options);
}
