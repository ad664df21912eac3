import { describe, expect, it } from 'vitest';
import { exportUrl, fallbackFilename, filenameFromDisposition } from './download.ts';

describe('filenameFromDisposition', () => {
  it('reads the quoted filename the server sends', () => {
    expect(filenameFromDisposition('attachment; filename="sprint-14-refinement-2026-12-01.csv"')).toBe('sprint-14-refinement-2026-12-01.csv');
  });

  it('prefers the UTF-8 filename* form, so a board title with accents keeps them', () => {
    expect(filenameFromDisposition(`attachment; filename="Equipe-2026-12-01.md"; filename*=UTF-8''%C3%89quipe-2026-12-01.md`)).toBe('Équipe-2026-12-01.md');
  });

  it('reads an unquoted name, and nothing from a missing or empty header', () => {
    expect(filenameFromDisposition('attachment; filename=board.json')).toBe('board.json');
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
  });
});

describe('export paths', () => {
  it('asks the export route for the format, and falls back to a dated name', () => {
    expect(exportUrl('b1', 'md')).toBe('/api/boards/b1/export?format=md');
    expect(fallbackFilename('csv', new Date('2026-12-01T22:00:00Z'))).toBe('board-2026-12-01.csv');
  });
});
