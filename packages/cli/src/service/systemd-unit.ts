import type { ServiceScope } from './service-options.ts';

export const SYSTEMD_UNIT_NAME = 'owl.service';

/**
 * One ExecStart word: quoted when it holds anything systemd would split or expand
 * (`%` specifiers and `$` variables are expanded even inside quotes, so they are doubled).
 */
export function quoteSystemdWord(word: string): string {
  const escaped = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) && escaped === word ? word : `"${escaped}"`;
}

export interface SystemdUnitInput {
  scope: ServiceScope;
  command: string[];
  home: string;
}

/** The unit `owl service install` writes: the daemon in the foreground, restarted forever, apps left alone. */
export function renderSystemdUnit(input: SystemdUnitInput): string {
  const system = input.scope === 'system';
  return [
    '# Written by `owl service install`; `owl service uninstall` removes it.',
    '[Unit]',
    'Description=owl process supervisor daemon',
    // Restart=always must never give up: no start rate limit.
    'StartLimitIntervalSec=0',
    ...(system ? ['Wants=network-online.target', 'After=network-online.target'] : []),
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${input.command.map(quoteSystemdWord).join(' ')}`,
    `Environment=${quoteSystemdWord(`OWL_HOME=${input.home}`)}`,
    'Restart=always',
    'RestartSec=2',
    // Stop and restart signal the daemon only. Apps share this unit's cgroup; with the default
    // KillMode=control-group a `systemctl stop` or restart would kill every one of them.
    'KillMode=process',
    // The daemon's SIGTERM shutdown saves state and leaves apps running; give it time.
    'TimeoutStopSec=90',
    // An app killed by the kernel's OOM killer is the daemon's business, not a reason to stop the unit.
    'OOMPolicy=continue',
    // The unit's task limit would count every app's threads and processes.
    'TasksMax=infinity',
    '',
    '[Install]',
    `WantedBy=${system ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}
