import { describe, expect, it } from 'vitest';
import { normalizeDmtfDate, normalizeLstart } from '../../src/process/start-time.ts';
import { parseWmicValues } from '../../src/process/win32-processes.ts';

// The Windows and macOS readers cannot run here; their text parsing can.
describe('parseWmicValues', () => {
  it('splits wmic /value output into one record per process', () => {
    const output = '\r\r\n\r\r\nCreationDate=20240301101500.123456+060\r\r\nParentProcessId=4\r\r\nProcessId=100\r\r\n\r\r\n\r\r\nCreationDate=\r\r\nParentProcessId=0\r\r\nProcessId=0\r\r\n\r\r\n';
    expect(parseWmicValues(output)).toEqual([
      { CreationDate: '20240301101500.123456+060', ParentProcessId: '4', ProcessId: '100' },
      { CreationDate: '', ParentProcessId: '0', ProcessId: '0' },
    ]);
  });

  it('keeps an = inside a value', () => {
    expect(parseWmicValues('ExecutablePath=C:\\a=b\\app.exe\r\n')).toEqual([{ ExecutablePath: 'C:\\a=b\\app.exe' }]);
  });
});

describe('normalizeDmtfDate', () => {
  it('gives wmic local time and PowerShell UTC the same token', () => {
    expect(normalizeDmtfDate('20240301101500.123456+060')).toBe('2024-03-01T09:15:00.123456Z');
    expect(normalizeDmtfDate('20240301091500.123456+000')).toBe('2024-03-01T09:15:00.123456Z');
    expect(normalizeDmtfDate('20240301041500.123456-300')).toBe('2024-03-01T09:15:00.123456Z');
  });

  it('is null for an empty date', () => {
    expect(normalizeDmtfDate('  ')).toBeNull();
  });
});

describe('normalizeLstart', () => {
  it('collapses the padding of ps lstart', () => {
    expect(normalizeLstart('  Mon Jan  1 12:00:00 2024\n')).toBe('Mon Jan 1 12:00:00 2024');
    expect(normalizeLstart('\n')).toBeNull();
  });
});
