import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem, getItem, initBoard, listItems, moveItem, setItemTitle } from '../../shared/schema/board.ts';
import { UnsentCounter } from './offlineCache.ts';
import { hasOwnUndo, UndoController, undoKey } from './undo.ts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('undo keys', () => {
  it('[REF-15] Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z and Ctrl+Y redo; nothing else', () => {
    expect(undoKey(key('z', { ctrlKey: true }))).toBe('undo');
    expect(undoKey(key('z', { metaKey: true }))).toBe('undo');
    expect(undoKey(key('Z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(undoKey(key('y', { ctrlKey: true }))).toBe('redo');
    expect(undoKey(key('z'))).toBeNull();
    expect(undoKey(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('[REF-15] text fields keep their own undo; checkboxes and buttons do not', () => {
    expect(hasOwnUndo({ tagName: 'TEXTAREA' })).toBe(true);
    expect(hasOwnUndo({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(hasOwnUndo({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(hasOwnUndo({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(hasOwnUndo({ tagName: 'BUTTON' })).toBe(false);
    expect(hasOwnUndo(null)).toBe(false);
  });
});

describe('UndoController (one document)', () => {
  it('[REF-15] tracks only its own origin; a creation is its own step and undoes to an archive', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 'b', createdAt: 0 });
    const mine = { me: true };
    const theirs = { them: true };
    const undo = new UndoController(doc, mine); // default 500 ms capture: steps may merge
    const a = addItem(doc, { title: 'A', createdBy: 'u1' as UserId }, theirs);
    const b = addItem(doc, { title: 'B', createdBy: 'u1' as UserId }, mine);
    setItemTitle(doc, a, 'A edited by me', mine); // within the capture window of the creation
    setItemTitle(doc, b, 'B edited by them', theirs);
    expect(undo.getState()).toEqual({ canUndo: true, canRedo: false });
    undo.undo(); // my title edit (not merged into the creation)
    expect(getItem(doc, a)?.title).toBe('A');
    expect(getItem(doc, b)?.archivedAt).toBeNull();
    undo.undo(); // my creation → archived, still present, their edit on it kept
    expect(getItem(doc, b)).toMatchObject({ title: 'B edited by them' });
    expect(getItem(doc, b)?.archivedAt).not.toBeNull();
    expect(undo.undo()).toBe(false);
    expect(listItems(doc).map((i) => i.title)).toEqual(['A']);
    moveItem(doc, a, 'top', mine); // nothing to move: no step
    expect(undo.getState().canUndo).toBe(false);
    undo.destroy();
  });
});

describe('UnsentCounter', () => {
  it('[REF-16] counts my changes while not live and resets once live', () => {
    const doc = new Y.Doc();
    let live = false;
    const mine = {};
    const c = new UnsentCounter(doc, mine, () => live);
    doc.transact(() => doc.getMap('m').set('a', 1), mine);
    doc.transact(() => doc.getMap('m').set('b', 1), 'someone else');
    doc.transact(() => doc.getMap('m').set('c', 1), mine);
    expect(c.getCount()).toBe(2);
    live = true;
    c.connectionChanged();
    expect(c.getCount()).toBe(0);
    doc.transact(() => doc.getMap('m').set('d', 1), mine);
    expect(c.getCount()).toBe(0);
    c.destroy();
  });
});
