import { describe, expect, it } from 'vitest';
import { createProgram } from '../../src/program.ts';
import { completeWords } from '../../src/completion/complete-words.ts';

const program = createProgram();

describe('completeWords', () => {
  it('offers subcommands, then app names (and all) where a command takes an app', () => {
    expect(completeWords(program, ['re'])).toEqual({ words: ['restart', 'reload', 'remote'], appNames: false, home: undefined });
    expect(completeWords(program, ['stop', ''])).toMatchObject({ words: ['all'], appNames: true });
    expect(completeWords(program, ['describe', ''])).toMatchObject({ words: [], appNames: true });
    // One app per command: after it, nothing more to name.
    expect(completeWords(program, ['describe', 'web', ''])).toMatchObject({ words: [], appNames: false });
    expect(completeWords(program, ['daemon', 's'])).toMatchObject({ words: ['start', 'stop', 'status'], appNames: false });
  });

  it('offers options after a dash, nothing for an option value, and remembers --home', () => {
    expect(completeWords(program, ['import', 'pm2', '--f']).words).toEqual(['--force']);
    expect(completeWords(program, ['--home', '/srv/owl', 'logs', '--lines', ''])).toEqual({ words: [], appNames: false, home: '/srv/owl' });
    expect(completeWords(program, ['--home=/x', 'restart', 'w'])).toMatchObject({ appNames: true });
    expect(completeWords(program, ['start', 'app.js', '--', ''])).toMatchObject({ words: [], appNames: false });
    expect(completeWords(program, ['completion', '']).words).toEqual(['bash', 'zsh', 'fish', 'powershell']);
  });

  it('never offers the hidden __complete command', () => {
    expect(completeWords(program, ['_']).words).toEqual([]);
  });
});
