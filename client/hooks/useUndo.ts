/**
 * React side of per-user undo [REF-15]: one UndoController per connected board and the
 * keyboard shortcuts (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y). While the focus is in a field
 * that has its own undo (text inputs, textareas), the browser's undo runs instead.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { hasOwnUndo, UndoController, type UndoState, undoKey } from './undo.ts';

const NOTHING: UndoState = { canUndo: false, canRedo: false };
const noSubscribe = () => () => {};

export function useUndo(doc: Y.Doc, origin: unknown, enabled = true): { controller: UndoController | null; state: UndoState } {
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
      if (action === 'undo') controller.undo();
      else controller.redo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, enabled]);

  const state = useSyncExternalStore(controller?.subscribe ?? noSubscribe, controller?.getState ?? (() => NOTHING));
  return { controller, state };
}
