/**
 * Bytes of an uploaded file → text. UTF-8 (with or without BOM), UTF-16 LE/BE with BOM
 * (Excel's "Unicode text"), else Windows-1252 when the bytes are not valid UTF-8 (with a
 * warning, since that is a guess). Binary junk is refused [XFER-6].
 */
import { UnreadableImport } from './record.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** For people, when the encoding was a guess. */
  warning: string | null;
}

const decode = (encoding: TextEncodingName, bytes: Uint8Array, fatal: boolean) =>
  new TextDecoder(encoding, { fatal, ignoreBOM: false }).decode(bytes);

/** Control characters other than tab, CR, LF: a text export has (almost) none. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let control = 0;
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  return control > 0 && control / sample.length > 0.01;
}

export function decodeImportBytes(bytes: Uint8Array): DecodedText {
  let result: DecodedText;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) result = { text: decode('utf-16le', bytes, false), encoding: 'utf-16le', warning: null };
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) result = { text: decode('utf-16be', bytes, false), encoding: 'utf-16be', warning: null };
  else {
    try {
      result = { text: decode('utf-8', bytes, true), encoding: 'utf-8', warning: null };
    } catch {
      result = {
        text: decode('windows-1252', bytes, false),
        encoding: 'windows-1252',
        warning: 'The file is not valid UTF-8; it was read as Windows-1252 (Western European). Check accented letters.',
      };
    }
  }
  if (looksBinary(result.text)) {
    throw new UnreadableImport('This is not a text file: expected a CSV export (UTF-8, UTF-16 or Windows-1252) or a JSON export');
  }
  return result;
}
