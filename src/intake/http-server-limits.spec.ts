import { clientOf } from './http-server-limits';

describe('clientOf', () => {
  it('is the IPv4 address, also when mapped into IPv6', () => {
    expect(clientOf('10.1.2.3')).toBe('10.1.2.3');
    expect(clientOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    expect(clientOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0db8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
