import { describe, expect, it } from 'vitest';
import { OwlError, parseConfigJson, unreadableConfigError } from '../../src/index.ts';

describe('config files', () => {
  it('parses JSON saved with a byte-order mark, as Windows editors do', () => {
    expect(parseConfigJson('C:\\owl\\config.json', '\uFEFF{"webhooks": []}')).toEqual({ webhooks: [] });
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
    expect((thrown as Error).message).toMatch(/^\/srv\/owl\/config\.json is not valid JSON: /);
    expect(unreadableConfigError('/srv/owl/config.json', new Error('EACCES: permission denied'))).toMatchObject({
      code: 'OWL_CONFIG_INVALID',
      message: 'cannot read /srv/owl/config.json: EACCES: permission denied',
    });
  });
});
