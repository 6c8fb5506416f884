import { normaliseAddress, trustedProxies } from './client-address';

describe('normaliseAddress', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['10.1.2.3:1234', '10.1.2.3'],
    [' 10.1.2.3 ', '10.1.2.3'],
    ['[::1]', '::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[fe80::1%25eth0]:8080', 'fe80::1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::1', '::1'],
  ])('reads %j as %j', (text, address) => {
    expect(normaliseAddress(text)).toBe(address);
  });

  it.each([
    'unknown',
    '',
    '_hidden',
    '10.1.2.3:',
    '10.1.2.300',
    '[10.1.2.3',
    'example.com',
    '10.1.2.3:1234:5',
    '1.2.3.4, 5.6.7.8',
    '\u0000',
    '[]',
    undefined,
    null,
  ])('reads %j as no address', (text) => {
    expect(normaliseAddress(text)).toBeNull();
  });
});

describe('trustedProxies', () => {
  it('trusts the listed proxies however they write their address', () => {
    const trust = trustedProxies(['10.0.0.0/8', '::1']);
    expect(trust).not.toBe(false);
    const trusts = trust as (address: string) => boolean;
    expect(['10.0.0.5', '10.0.0.5:443', '[::1]:80', '::ffff:10.9.9.9'].map(trusts)).toEqual([true, true, true, true]);
    expect(['192.168.1.1', 'unknown', ''].map(trusts)).toEqual([false, false, false]);
    expect(trustedProxies([])).toBe(false);
  });
});
