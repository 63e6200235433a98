import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkDestination, DestinationRefused, guardedLookup, nonGlobalRange, refuseLiteral } from './destination.js';

describe('webhook destinations', () => {
  it('name the range of every address that is not public, and pass global unicast ones', () => {
    const ranges: [string, string | undefined][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['::ffff:127.0.0.1', 'loopback'], // IPv4-mapped: judged as the IPv4 address
      ['10.1.2.3', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'],
      ['::ffff:192.168.0.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['fe80::1', 'linkLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['224.0.0.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['192.0.2.1', 'reserved'],
      ['2001:db8::1', 'reserved'],
      ['64:ff9b::a00:1', 'rfc6052'], // NAT64 of 10.0.0.1
      ['4000::1', 'not global unicast'],
      ['8.8.8.8', undefined],
      ['172.32.0.1', undefined],
      ['93.184.216.34', undefined],
      ['2606:4700:4700::1111', undefined],
      ['example.com', 'not an IP address'],
    ];
    for (const [address, range] of ranges) expect(nonGlobalRange(address), address).toBe(range);
  });

  it('are checked by every address a name resolves to, with the path and a way out in the refusal', async () => {
    await expect(checkDestination(new URL('http://localhost:8080/x'), 'url')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/^url: localhost \((127\.0\.0\.1|::1)\) is in the loopback range.*--allow-private-webhooks/),
      issues: [{ path: 'url', message: expect.stringContaining('loopback') }],
    });
    await expect(checkDestination(new URL('http://[fd00::5]/'), 'body.url')).rejects.toMatchObject({ issues: [{ path: 'body.url' }] });
    await expect(checkDestination(new URL('https://8.8.8.8/hook'), 'url')).resolves.toBeUndefined();
    await expect(checkDestination(new URL('http://no-such-host.invalid/'), 'url')).rejects.toMatchObject({ message: expect.stringContaining('does not resolve') });
  });

  it('are refused when connecting: literals before the connection, names in its lookup', async () => {
    expect(() => refuseLiteral(new URL('http://[::1]:9/'))).toThrow(DestinationRefused);
    expect(() => refuseLiteral(new URL('http://203.0.114.1/'))).not.toThrow();
    expect(() => refuseLiteral(new URL('http://localhost/'))).not.toThrow(); // a name: the lookup's to judge
    const lookup = (host: string, all: boolean) =>
      new Promise<{ err: Error | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
        guardedLookup(host, all ? { all: true } : {}, (err, address, family) => resolve({ err, address, ...(family !== undefined ? { family } : {}) })),
      );
    const refused = await lookup('localhost', true);
    expect(refused.err).toBeInstanceOf(DestinationRefused);
    expect(refused.err?.message).toMatch(/localhost \(.*\) is in the loopback range/);
    // A public address is handed over as checked, in either form the connection asks for.
    expect(await lookup('8.8.8.8', false)).toEqual({ err: null, address: '8.8.8.8', family: 4 });
    expect(await lookup('8.8.8.8', true)).toEqual({ err: null, address: [{ address: '8.8.8.8', family: 4 }] });
  });
});
