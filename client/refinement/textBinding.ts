/**
 * Binds a <textarea> (or <input>) to a Y.Text so several people can type in one field:
 * local keystrokes become minimal Y.Text edits (one transaction each, tagged with the
 * user's origin), and remote edits update the field while the local caret and selection
 * stay on the same characters.
 *
 * Remote changes are mapped through the Y.Text event's delta, which is exact for the
 * state the field showed. During IME composition the field must not be rewritten (that
 * aborts the composition), so remote changes wait; at compositionend the composed text is
 * placed using Y.RelativePositions taken when composition started, which survive any
 * remote edits made meanwhile.
 */
import * as Y from 'yjs';

export interface TextEdit {
  index: number;
  remove: number;
  insert: string;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * The single edit that turns `prev` into `next`. `caret` (where the caret is in `next`
 * after the edit) disambiguates repeats: typing "a" before "aa" is an insert at 0, not 2.
 * Boundaries never split a surrogate pair (Yjs would turn both halves into U+FFFD).
 */
export function diffText(prev: string, next: string, caret?: number): TextEdit | null {
  if (prev === next) return null;
  const grow = next.length - prev.length;
  const prefixCap = caret === undefined ? Number.POSITIVE_INFINITY : Math.max(0, caret - Math.max(grow, 0));
  const max = Math.min(prev.length, next.length, prefixCap);
  let start = 0;
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endPrev = prev.length;
  let endNext = next.length;
  const minEnd = caret ?? 0;
  while (
    endPrev > start &&
    endNext > start &&
    endNext > minEnd &&
    prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
  ) {
    endPrev--;
    endNext--;
  }
  if (start > 0 && isHigh(prev.charCodeAt(start - 1))) start--;
  if (endPrev < prev.length && isLow(prev.charCodeAt(endPrev))) {
    endPrev++;
    endNext++;
  }
  return { index: start, remove: endPrev - start, insert: next.slice(start, endNext) };
}

export type Delta = readonly { insert?: unknown; retain?: number; delete?: number }[];

const insertLength = (insert: unknown): number => (typeof insert === 'string' ? insert.length : 1);

/**
 * Where position `pos` of the old text lands after `delta`. Text inserted exactly at
 * `pos` goes after it (the caret stays before what someone else just typed there).
 */
export function mapIndex(pos: number, delta: Delta): number {
  let oldIndex = 0;
  let result = pos;
  for (const op of delta) {
    if (op.retain !== undefined) oldIndex += op.retain;
    else if (op.insert !== undefined) {
      if (oldIndex < pos) result += insertLength(op.insert);
    } else if (op.delete !== undefined) {
      if (oldIndex < pos) result -= Math.min(op.delete, pos - oldIndex);
      oldIndex += op.delete;
    }
    if (oldIndex >= pos && op.insert === undefined) break;
  }
  return result;
}

/** The subset of HTMLTextAreaElement / HTMLInputElement the binding uses (testable in Node). */
export interface TextFieldLike {
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
  selectionDirection?: 'forward' | 'backward' | 'none' | null;
  setSelectionRange(start: number, end: number, direction?: 'forward' | 'backward' | 'none'): void;
  addEventListener(type: string, listener: (ev: Event) => void): void;
  removeEventListener(type: string, listener: (ev: Event) => void): void;
  ownerDocument?: { activeElement: unknown } | null;
}

export interface BindingOptions {
  /** Transaction origin of this user's edits (their UndoManager tracks it). */
  origin: unknown;
  /** Longest allowed text; longer input is cut (the field shows what was kept). */
  maxLength?: number;
  /**
   * Told after each local input how many characters maxLength cut from it (0: none), so
   * the field can say so instead of cutting silently (issue 14).
   */
  onCut?: (cutBy: number) => void;
  /** Called after a local edit was written (e.g. to tell presence "editing"). */
  onLocalEdit?: () => void;
}

/** Starts syncing `field` with `text`; returns the function that stops it. */
export function bindTextField(field: TextFieldLike, text: Y.Text, opts: BindingOptions): () => void {
  const doc = text.doc;
  if (!doc) throw new Error('bindTextField: the Y.Text is not in a document');
  // What the field and the Y.Text last agreed on.
  let shadow = text.toString();
  field.value = shadow;
  let composing = false;
  let remoteWhileComposing = false;
  let compStart: Y.RelativePosition | null = null;
  let compStartIndex = 0;

  const isFocused = (): boolean => field.ownerDocument?.activeElement === field;

  let writing = false;
  const writeLocal = (edit: TextEdit, at: number): void => {
    writing = true;
    try {
      doc.transact(() => {
        if (edit.remove > 0) text.delete(at, edit.remove);
        if (edit.insert) text.insert(at, edit.insert);
      }, opts.origin);
    } finally {
      writing = false;
    }
  };

  const render = (sel: { start: number; end: number } | null): void => {
    const next = text.toString();
    shadow = next;
    if (field.value !== next) field.value = next;
    if (sel && isFocused()) {
      const dir = field.selectionDirection ?? undefined;
      field.setSelectionRange(Math.min(sel.start, next.length), Math.min(sel.end, next.length), dir ?? undefined);
    }
  };

  const onInput = (): void => {
    if (composing) return;
    let value = field.value;
    const cutBy = opts.maxLength !== undefined ? Math.max(0, value.length - opts.maxLength) : 0;
    if (cutBy > 0) {
      value = value.slice(0, opts.maxLength);
      field.value = value;
    }
    opts.onCut?.(cutBy);
    const edit = diffText(shadow, value, field.selectionEnd ?? undefined);
    if (!edit) return;
    // With no remote change pending, the Y.Text equals `shadow`, so indices line up.
    writeLocal(edit, edit.index);
    shadow = text.toString();
    if (shadow !== value) render({ start: field.selectionStart ?? 0, end: field.selectionEnd ?? 0 });
    opts.onLocalEdit?.();
  };

  const onCompositionStart = (): void => {
    composing = true;
    remoteWhileComposing = false;
    compStartIndex = Math.min(field.selectionStart ?? 0, shadow.length);
    compStart = Y.createRelativePositionFromTypeIndex(text, compStartIndex);
  };

  const onCompositionEnd = (): void => {
    composing = false;
    const edit = diffText(shadow, field.value, field.selectionEnd ?? undefined);
    if (!remoteWhileComposing) {
      onInput();
      return;
    }
    // Remote edits arrived meanwhile: place the composed change relative to where the
    // composition started, in today's Y.Text.
    if (edit) {
      const abs = compStart ? Y.createAbsolutePositionFromRelativePosition(compStart, doc) : null;
      const base = abs ? abs.index : edit.index;
      const at = Math.max(0, Math.min(text.length, base + (edit.index - compStartIndex)));
      writeLocal({ ...edit, remove: Math.min(edit.remove, text.length - at) }, at);
      const caret = at + edit.insert.length;
      render({ start: caret, end: caret });
      opts.onLocalEdit?.();
    } else render(null);
    remoteWhileComposing = false;
  };

  const observer = (event: Y.YTextEvent): void => {
    if (writing) return; // our own keystroke: the field has it already
    if (composing) {
      remoteWhileComposing = true;
      return;
    }
    const delta = event.delta as Delta;
    const start = mapIndex(field.selectionStart ?? 0, delta);
    const end = mapIndex(field.selectionEnd ?? 0, delta);
    render({ start, end });
  };

  field.addEventListener('input', onInput);
  field.addEventListener('compositionstart', onCompositionStart);
  field.addEventListener('compositionend', onCompositionEnd);
  text.observe(observer);
  return () => {
    field.removeEventListener('input', onInput);
    field.removeEventListener('compositionstart', onCompositionStart);
    field.removeEventListener('compositionend', onCompositionEnd);
    text.unobserve(observer);
  };
}
