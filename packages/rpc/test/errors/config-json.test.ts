import { describe, expect, it } from 'vitest';
import { OwlError, parseConfigJson, unreadableConfigError } from '../../src/index.ts';

describe('config files', () => {
  it('parses JSON saved with a byte-order mark, as Windows editors do', () => {
    expect(parseConfigJson('C:\\owl\\config.json', '\uFEFF{"webhooks": []}')).toEqual({ webhooks: [] });
  });

  it('refuses a repeated key with its path and line, as every JSON file owl reads', () => {
    expect(() => parseConfigJson('/srv/owl/config.json', '{\n  "webhooks": [],\n  "webhooks": [{}]\n}')).toThrow(
      expect.objectContaining({
        code: 'OWL_CONFIG_INVALID',
        message: '/srv/owl/config.json:3:3: invalid JSON: duplicate key webhooks: a key may appear only once in an object (JSON.parse would keep only the last)',
        data: { file: '/srv/owl/config.json', line: 3, column: 3 },
      }),
    );
  });

  it('names the file and the problem for bad JSON and for a file that cannot be read', () => {
    let thrown: unknown;
    try {
      parseConfigJson('/srv/owl/config.json', '{"planes": ');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OwlError);
    expect(thrown).toMatchObject({ code: 'OWL_CONFIG_INVALID' });
    expect((thrown as Error).message).toBe('/srv/owl/config.json:1:12: invalid JSON: expected a value, found the end of the file');
    expect(unreadableConfigError('/srv/owl/config.json', new Error('EACCES: permission denied'))).toMatchObject({
      code: 'OWL_CONFIG_INVALID',
      message: 'cannot read /srv/owl/config.json: EACCES: permission denied',
    });
  });
});
