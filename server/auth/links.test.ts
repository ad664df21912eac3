import { describe, expect, it } from 'vitest';
import { checkLinkToken, defaultBoardLinks, linkState, parseBoardLinks, regenerated, revoked } from './links.ts';

describe('invite link records', () => {
  it('[INV-4] a board that never changed its links accepts generation 0 of every role', () => {
    const links = defaultBoardLinks();
    expect(checkLinkToken(links, 'dev', 0, 0)).toBe('ok');
    expect(checkLinkToken(links, 'dev', 1, 0)).toBe('revoked');
    expect(parseBoardLinks(null)).toEqual(links);
    expect(parseBoardLinks('not json')).toEqual(links);
    expect(parseBoardLinks('{"dev":{"generation":-1,"revoked":false,"expiresAt":null}}')).toEqual(links);
  });

  it('[INV-3] regenerating ends older links of that role only; revoking leaves none', () => {
    const once = regenerated(defaultBoardLinks(), 'dev', null);
    expect(checkLinkToken(once, 'dev', 0, 0)).toBe('revoked');
    expect(checkLinkToken(once, 'dev', 1, 0)).toBe('ok');
    expect(checkLinkToken(once, 'sm', 0, 0)).toBe('ok');
    const gone = revoked(once, 'dev');
    expect(checkLinkToken(gone, 'dev', 1, 0)).toBe('revoked');
    expect(checkLinkToken(gone, 'dev', 2, 0)).toBe('revoked');
    expect(linkState(gone.dev, 0)).toBe('revoked');
    expect(parseBoardLinks(JSON.stringify(gone))).toEqual(gone);
  });

  it('[INV-5] a link with an expiry works until that moment, then reads as expired', () => {
    const links = regenerated(defaultBoardLinks(), 'viewer', 1000);
    expect(checkLinkToken(links, 'viewer', 1, 999)).toBe('ok');
    expect(checkLinkToken(links, 'viewer', 1, 1000)).toBe('expired');
    expect(linkState(links.viewer, 1000)).toBe('expired');
  });
});
