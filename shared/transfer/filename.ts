/** `<board-title>-<YYYY-MM-DD>.<ext>`: letters, digits, - and _ only, so every OS and header takes it. */
export function exportFilename(title: string, now: number, ext: string): string {
  const base =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'board';
  return `${base}-${new Date(now).toISOString().slice(0, 10)}.${ext}`;
}
