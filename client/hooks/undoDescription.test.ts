import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem, initBoard, moveItem, setItemTitle } from '../../shared/schema/board.ts';
import { UndoController } from './undo.ts';
import { runUndo } from './useUndo.ts';

describe('undo says what it undid', () => {
  it('names the change and the item: a move, a title edit, a creation (archived)', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'b', createdAt: 0 });
    const me = { me: true };
    const a = addItem(doc, { title: 'Pay with PayPal', createdBy: 'u' as UserId }, me);
    addItem(doc, { title: 'Guest checkout', createdBy: 'u' as UserId }, {});
    const undo = new UndoController(doc, me, { captureTimeout: 0 });
    moveItem(doc, a, 'bottom', me);
    const reports: string[] = [];
    const report = (action: 'undo' | 'redo', what: { text: string; itemId: string | null } | null) => reports.push(`${action}: ${what?.text} @${what?.itemId === a}`);
    runUndo(doc, undo, 'undo', report);
    runUndo(doc, undo, 'redo', report);
    setItemTitle(doc, a, 'Pay with PayPal or card', me);
    runUndo(doc, undo, 'undo', report);
    expect(reports).toEqual(['undo: move of “Pay with PayPal” @true', 'redo: move of “Pay with PayPal” @true', 'undo: title edit of “Pay with PayPal” @true']);
    undo.destroy();
  });
});
