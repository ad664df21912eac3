/**
 * Headers on every HTTP answer [LIM-3]. The CSP allows only the app's own scripts (vite
 * emits no inline script) and styles; React's `style` props go through the CSSOM, which a
 * CSP does not govern. Data URLs are the favicon and the QR codes of invite links.
 * `no-referrer`: join links carry their token in the fragment, which no Referer includes,
 * and nothing else of a board's URL should leave with a click on a link in a description.
 */
import type { ServerResponse } from 'node:http';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // 'self' covers ws:/wss: to the same host in CSP 3 browsers.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Set before any handler runs, so errors, 404s, static files and the API all carry them. */
export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}
