import type { ServiceOptions } from './service-options.ts';
import type { ServiceManager } from './service-report.ts';
import { createLaunchdManager } from './launchd-manager.ts';
import { createSystemdManager } from './systemd-manager.ts';

export async function createServiceManager(options: ServiceOptions): Promise<ServiceManager> {
  if (options.manager === 'systemd') return createSystemdManager(options);
  if (options.manager === 'launchd') return createLaunchdManager(options);
  // Loaded only on Windows: it binds advapi32 through koffi.
  const { createWindowsManager } = await import('./windows/windows-manager.ts');
  return createWindowsManager(options);
}
