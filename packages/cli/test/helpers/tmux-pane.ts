import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';

export interface TmuxPane {
  /** The pane's text as a terminal shows it now. */
  screen(): string;
  keys(...keys: string[]): void;
  alive(): boolean;
}

/** Whether tmux is missing; CI sets OWL_REQUIRE_TMUX=1 once it is installed, so a test cannot skip silently there. */
export function tmuxMissing(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.OWL_REQUIRE_TMUX === '1') throw new Error('tmux is required for the dashboard tests');
    return true;
  }
}

/** A tmux server of the test's own (its own socket), with one 120x36 pane running `command`; gone when the test ends. */
export function startPane(command: string[]): TmuxPane {
  const server = `owl-dash-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'dash', '-x', '120', '-y', '36', ...command);
  onTestFinished(() => {
    try {
      tmux('kill-server');
    } catch {
      // The pane ended and took the server with it.
    }
  });
  return {
    screen: () => tmux('capture-pane', '-p', '-t', 'dash'),
    keys: (...keys) => void tmux('send-keys', '-t', 'dash', ...keys),
    alive: () => {
      try {
        tmux('has-session', '-t', 'dash');
        return true;
      } catch {
        return false;
      }
    },
  };
}
