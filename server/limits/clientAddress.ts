/**
 * The address a request comes from, as the limits count it. `X-Forwarded-For` is read only
 * when the server is told it sits behind that many proxies (TRUST_PROXY): otherwise any
 * client could name any address and slip past every per-address limit.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

/**
 * `trustedProxies` = how many proxies in front of the server append to X-Forwarded-For.
 * The client is the entry that many places from the right (the last one is what our own
 * proxy saw; entries further left were written by whoever sent the request).
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return addressKey(peer);
  const header = req.headers['x-forwarded-for'];
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return addressKey(peer);
  const hops = raw
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  // Fewer entries than proxies: the nearest entry is still better than the proxy's own address.
  const pick = hops[Math.max(0, hops.length - trustedProxies)];
  return addressKey(pick ?? peer);
}

/**
 * One key per client: IPv4-mapped IPv6 as plain IPv4, and IPv6 by its /64 (one host
 * usually holds a whole /64, so per-address buckets would be free to multiply).
 */
export function addressKey(address: string): string {
  const a = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!isIPv6(a)) return a;
  return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array.from({ length: missing }, () => '0'), ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}
