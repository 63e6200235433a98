import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { SegmataError } from '../../errors.js';

/**
 * Where a webhook may deliver. A webhook makes the server send requests to a URL an admin
 * chose, so unchecked it reaches what only the server can reach (a database admin page on
 * localhost, a cloud metadata service at 169.254.169.254, the office network): server-side
 * request forgery. Unless the server was started to allow them, destinations that are not
 * global unicast addresses are refused: loopback, link-local, private (RFC 1918, ULA),
 * unspecified, carrier-grade NAT, multicast, documentation, and the other special ranges
 * ipaddr.js names. A name counts by every address it resolves to, and is resolved again at
 * each delivery, whose connection goes to the address that was checked (a name that turned
 * to 127.0.0.1 after the check, DNS rebinding, is refused then).
 */

/** How to start the server so that private destinations are allowed (said in every refusal). */
export const ALLOW_PRIVATE_HINT = 'start the server with --allow-private-webhooks (or SEGMATA_ALLOW_PRIVATE_WEBHOOKS=1) to allow private destinations';

/** IPv6 global unicast (RFC 4291 §2.4): what is outside it is not assigned for the internet. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::');

/**
 * Why an address may not receive webhooks (the name of its range, e.g. "loopback"), or
 * undefined for a global unicast address. IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function nonGlobalRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range !== 'unicast') return range;
  if (ip instanceof ipaddr.IPv6 && !ip.match(GLOBAL_UNICAST_V6, 3)) return 'not global unicast';
  return undefined;
}

/** ipaddr.js's range names as a reader knows them. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  linkLocal: 'link-local',
  uniqueLocal: 'unique local (fc00::/7)',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private (RFC 1918)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
};

/** The refusal of one resolved address, with what to do about it. */
function refusal(host: string, address: string, range: string): string {
  const what = host === address ? address : `${host} (${address})`;
  return `${what} is in the ${RANGE_WORDS[range] ?? range} range, not a public address: webhooks deliver to public addresses only; ${ALLOW_PRIVATE_HINT}`;
}

/** A URL's host without the brackets of an IPv6 literal. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/**
 * Refuse a destination whose host is, or resolves to, any address that is not public (issues
 * at `path`). A name that does not resolve is refused too: it cannot be checked.
 */
export async function checkDestination(url: URL, path: string): Promise<void> {
  const host = bareHost(url);
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveAll(host)).map((a) => a.address);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new SegmataError('invalid_argument', `${path}: the host "${host}" does not resolve (${code}), so it cannot be checked`, [{ path, message: `host does not resolve (${code})` }]);
    }
  }
  for (const address of addresses) {
    const range = nonGlobalRange(address);
    if (range) throw new SegmataError('invalid_argument', `${path}: ${refusal(host, address, range)}`, [{ path, message: `${address} is in the ${RANGE_WORDS[range] ?? range} range: webhooks deliver to public addresses only, unless the server is started with --allow-private-webhooks` }]);
  }
}

/** A connection refused because of where it would go (a delivery's error says why). */
export class DestinationRefused extends Error {
  override readonly name = 'DestinationRefused';
}

/**
 * Before connecting to an IP literal (no DNS lookup happens for one): refuse it unless public.
 * Names are checked by `guardedLookup` as the connection resolves them.
 */
export function refuseLiteral(url: URL): void {
  const host = bareHost(url);
  if (!ipaddr.isValid(host)) return;
  const range = nonGlobalRange(host);
  if (range) throw new DestinationRefused(refusal(host, host, range));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the name, refuses it if any of its addresses is not
 * public, and hands the connection exactly the addresses it checked, so the socket connects
 * to a checked address and nothing resolves in between.
 */
export function guardedLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    for (const a of addresses) {
      const range = nonGlobalRange(a.address);
      if (range) return callback(new DestinationRefused(refusal(hostname, a.address, range)), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), []);
    return callback(null, first.address, first.family);
  });
}
