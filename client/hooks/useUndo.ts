/**
 * React side of per-user undo [REF-15]: one UndoController per connected board and the
 * keyboard shortcuts (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y). While the focus is in a field
 * that has its own undo (text inputs, textareas), the browser's undo runs instead.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { type ChangeDescription, describeTransaction } from './undoDescription.ts';
import { hasOwnUndo, UndoController, type UndoState, undoKey } from './undo.ts';

const NOTHING: UndoState = { canUndo: false, canRedo: false };
const noSubscribe = () => () => {};

/** An undo or redo ran: what it changed (null when nothing on an item, e.g. the session). */
export type UndoReport = (action: 'undo' | 'redo', what: ChangeDescription | null) => void;

/** Runs undo or redo and reports what its transaction changed. */
export function runUndo(doc: Y.Doc, controller: UndoController, action: 'undo' | 'redo', report?: UndoReport): void {
  let what: ChangeDescription | null = null;
  const listen = (tx: Y.Transaction) => {
    what ??= describeTransaction(doc, tx);
  };
  doc.on('afterTransaction', listen);
  try {
    if (action === 'undo') controller.undo();
    else controller.redo();
  } finally {
    doc.off('afterTransaction', listen);
  }
  report?.(action, what);
}

export function useUndo(
  doc: Y.Doc,
  origin: unknown,
  enabled = true,
  report?: UndoReport,
): { controller: UndoController | null; state: UndoState } {
  const reportRef = useRef(report);
  reportRef.current = report;
  const [controller, setController] = useState<UndoController | null>(null);
  useEffect(() => {
    // StrictMode mounts twice and the doc may change: one live controller per doc/origin.
    const c = new UndoController(doc, origin);
    setController(c);
    return () => c.destroy();
  }, [doc, origin]);

  useEffect(() => {
    if (!enabled || !controller) return;
    const onKey = (ev: KeyboardEvent) => {
      const action = undoKey(ev);
      if (!action || hasOwnUndo(ev.target)) return;
      ev.preventDefault();
      runUndo(doc, controller, action, reportRef.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doc, controller, enabled]);

  const state = useSyncExternalStore(controller?.subscribe ?? noSubscribe, controller?.getState ?? (() => NOTHING));
  return { controller, state };
}
