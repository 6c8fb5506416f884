import type { Request } from 'express';
import { isIP } from 'node:net';
import { AddressList } from './address-list';

const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED = /^\[([^\]]*)\](?::\d{1,5})?$/;
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * A client address as a bare IP (IPv4 dotted, IPv6 lower case), or null when it is not one.
 * X-Forwarded-For hops come in several forms: `10.1.2.3:1234` (Azure Application Gateway adds
 * the port), `[2001:db8::1]:443` and `[::1]`, `fe80::1%eth0` (a zone), `unknown` (RFC 7239), or
 * whatever a client made up. An IPv4 client seen through an IPv6 socket (`::ffff:10.1.2.3`) is
 * its IPv4 address.
 */
export function normaliseAddress(text: string | undefined | null): string | null {
  if (typeof text !== 'string') return null;
  let address = text.trim();
  const bracketed = BRACKETED.exec(address);
  if (bracketed) address = bracketed[1];
  else address = IPV4_WITH_PORT.exec(address)?.[1] ?? address;
  if (address.includes(':')) address = address.replace(/%[^%]*$/, '');
  address = IPV4_MAPPED.exec(address)?.[1] ?? address;
  return isIP(address) ? address.toLowerCase() : null;
}

/**
 * The address of the client of a request, normalised: the socket's peer, or, behind a proxy
 * listed in TRUSTED_PROXIES, the hop that proxy reported (Express's `req.ip`). The one place
 * that says who the client is: stored as `received_from`, checked against INGEST_ALLOW_CIDRS.
 */
export function clientAddress(req: Request): string | null {
  return normaliseAddress(req.ip);
}

/**
 * Express's `trust proxy` for TRUSTED_PROXIES: false without any, else a test that reads each
 * hop as `normaliseAddress` does, so that a trusted proxy that writes a port is still trusted.
 */
export function trustedProxies(cidrs: string[]): false | ((address: string) => boolean) {
  if (cidrs.length === 0) return false;
  const proxies = new AddressList(cidrs);
  return (address: string) => {
    const normalised = normaliseAddress(address);
    return normalised !== null && proxies.includes(normalised);
  };
}
