import { describe, expect, it } from 'vitest';
import { addressKey, isLoopback, plainAddress } from '../../src/planes/address-key.ts';

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::fc:ff:fe00:1', 'fe80:0:0:0::/64'],
  ])('counts %s under %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('folds IPv4-mapped IPv6 and knows loopback', () => {
    expect(plainAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(plainAddress(undefined)).toBe('unknown');
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('192.0.2.7')).toBe(false);
  });
});
