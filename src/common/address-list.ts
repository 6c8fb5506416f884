import { ValidateBy, ValidationOptions } from 'class-validator';
import { BlockList, isIP } from 'node:net';

interface Cidr {
  address: string;
  prefix: number;
  type: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (rest.length > 0 || version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' };
}

export function IsCidr(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isCidr', validator: { validate: (value: unknown) => typeof value === 'string' && parseCidr(value) !== null } },
    options,
  );
}

/** A set of address blocks that answers "is this client address in it?". */
export class AddressList {
  private readonly blocks = new BlockList();

  constructor(cidrs: string[]) {
    for (const cidr of cidrs.map(parseCidr)) {
      if (!cidr) throw new Error('invalid CIDR block');
      this.blocks.addSubnet(cidr.address, cidr.prefix, cidr.type);
    }
  }

  /** Also matches an IPv4 client seen through an IPv6 socket (`::ffff:10.1.2.3`). */
  includes(address: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return this.blocks.check(mapped[1], 'ipv4');
    const version = isIP(address);
    return version !== 0 && this.blocks.check(address, version === 4 ? 'ipv4' : 'ipv6');
  }
}
