import { describe, expect, it } from 'vitest';
import { ERROR_ACCESS_DENIED, ERROR_NO_TOKEN, ERROR_PRIVILEGE_NOT_HELD, NO_CONSOLE_SESSION, NO_USER_REASON, planUserSessionLaunch } from '../../src/process/user-session-plan.ts';
import { environmentBlock, quoteWindowsArgument, windowsCommandLine } from '../../src/process/windows-command-line.ts';

describe('planUserSessionLaunch', () => {
  it('launches as the console user when the service gets their token', () => {
    expect(planUserSessionLaunch({ activeSession: 1, ownSession: 0, tokenError: null })).toEqual({ kind: 'as-user', session: 1 });
  });

  it('waits while no session is at the console or nobody is logged on in it', () => {
    expect(planUserSessionLaunch({ activeSession: NO_CONSOLE_SESSION, ownSession: 0, tokenError: null })).toEqual({ kind: 'wait', reason: NO_USER_REASON });
    expect(planUserSessionLaunch({ activeSession: 1, ownSession: 0, tokenError: ERROR_NO_TOKEN })).toEqual({ kind: 'wait', reason: NO_USER_REASON });
    expect(NO_USER_REASON).toBe('waiting for a user to log on at the console (windows.session: user)');
  });

  it('spawns directly when the daemon lacks the privilege but already runs on that desktop', () => {
    expect(planUserSessionLaunch({ activeSession: 2, ownSession: 2, tokenError: ERROR_PRIVILEGE_NOT_HELD })).toEqual({ kind: 'direct', session: 2 });
    expect(planUserSessionLaunch({ activeSession: 2, ownSession: 2, tokenError: ERROR_ACCESS_DENIED })).toEqual({ kind: 'direct', session: 2 });
  });

  it('fails with what is needed when the daemon is neither LocalSystem nor in that session', () => {
    expect(planUserSessionLaunch({ activeSession: 2, ownSession: 1, tokenError: ERROR_PRIVILEGE_NOT_HELD })).toEqual({
      kind: 'fail',
      reason: "cannot launch into the console user's session 2 from session 1: the daemon must run as LocalSystem (owl service install)",
    });
    expect(planUserSessionLaunch({ activeSession: 2, ownSession: 0, tokenError: 87 })).toEqual({ kind: 'fail', reason: 'WTSQueryUserToken failed (Win32 error 87)' });
  });
});

describe('Windows command lines', () => {
  it('quotes as CommandLineToArgvW reads back', () => {
    expect(quoteWindowsArgument('plain')).toBe('plain');
    expect(quoteWindowsArgument('')).toBe('""');
    expect(quoteWindowsArgument('two words')).toBe('"two words"');
    expect(quoteWindowsArgument('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWindowsArgument('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"');
    expect(quoteWindowsArgument('a\\\\"b c')).toBe('"a\\\\\\\\\\"b c"');
    expect(windowsCommandLine('C:\\Program Files\\app.exe', ['-x', 'y z'])).toBe('"C:\\Program Files\\app.exe" -x "y z"');
  });

  it('builds a sorted, double-NUL-terminated UTF-16 environment block', () => {
    const block = environmentBlock({ b: '2', A: '1', SKIP: undefined });
    expect(block.toString('utf16le')).toBe('A=1\0b=2\0\0');
  });
});
