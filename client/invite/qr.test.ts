import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr.ts';

describe('qrPath', () => {
  it('draws one square per dark module of the code for the link', () => {
    const url = 'http://localhost:8080/b/abc123#t=token';
    const { size, d } = qrPath(url);
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    expect(size).toBe(modules.size);
    const dark = [...modules.data].filter(Boolean).length;
    expect(d.match(/M/g)).toHaveLength(dark);
  });
});
