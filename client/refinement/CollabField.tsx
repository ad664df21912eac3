/**
 * A textarea (or single-line input) bound to a Y.Text with textBinding.ts: several people
 * can type in it at once. The element is uncontrolled; the binding owns its value.
 */
import { type FocusEvent, type KeyboardEvent, useEffect, useRef } from 'react';
import * as Y from 'yjs';
import { bindTextField } from './textBinding.ts';

export interface CollabFieldProps {
  text: Y.Text | null;
  origin: unknown;
  multiline?: boolean;
  rows?: number;
  readOnly?: boolean;
  maxLength?: number;
  /** See textBinding's onCut: how much of the last input maxLength cut. */
  onCut?: (cutBy: number) => void;
  placeholder?: string;
  className?: string;
  id?: string;
  'aria-label'?: string;
  'data-testid'?: string;
  /** A local keystroke (for presence "editing" and for follow-mode's typing guard). */
  onType?: () => void;
  onFocus?: () => void;
  onBlur?: () => void;
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>) => void;
}

export function CollabField(props: CollabFieldProps) {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const onType = useRef(props.onType);
  onType.current = props.onType;
  const onCut = useRef(props.onCut);
  onCut.current = props.onCut;
  const { text, origin, maxLength, multiline } = props;

  useEffect(() => {
    const el = ref.current;
    if (!el || !text || !(text instanceof Y.Text) || !text.doc) return;
    return bindTextField(el, text, { origin, maxLength, onLocalEdit: () => onType.current?.(), onCut: (n) => onCut.current?.(n) });
  }, [text, origin, maxLength]);

  // Grow the textarea with its content (up to a limit set in CSS).
  useEffect(() => {
    const el = ref.current;
    if (!el || !multiline || !text) return;
    const resize = () => {
      el.style.height = 'auto';
      el.style.height = `${el.scrollHeight + 2}px`;
    };
    resize();
    text.observe(resize);
    el.addEventListener('input', resize);
    return () => {
      text.unobserve(resize);
      el.removeEventListener('input', resize);
    };
  }, [text, multiline]);

  const common = {
    ref,
    id: props.id,
    className: props.className,
    placeholder: props.placeholder,
    readOnly: props.readOnly || !text,
    'aria-label': props['aria-label'],
    'data-testid': props['data-testid'],
    onFocus: (_e: FocusEvent) => props.onFocus?.(),
    onBlur: (_e: FocusEvent) => props.onBlur?.(),
    onKeyDown: props.onKeyDown,
    spellCheck: true,
  };
  return multiline ? <textarea rows={props.rows ?? 3} {...common} /> : <input type="text" {...common} />;
}
