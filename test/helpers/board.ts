/**
 * Small document helpers for server tests: real board operations (shared/schema), so
 * the tests pass the write policy like the app does.
 */
import type * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { addItem, listItems } from '../../shared/schema/board.ts';

/** Adds an item with `title`, created by `userId` (must be the writer's own id). */
export function addTitled(doc: Y.Doc, userId: string, title: string, description?: string): void {
  addItem(doc, { title, createdBy: userId as UserId, description });
}

/** Titles of the active items, in backlog order. */
export function itemTitles(doc: Y.Doc): string[] {
  return listItems(doc).map((i) => i.title);
}

export const hasItem = (doc: Y.Doc, title: string): boolean => itemTitles(doc).includes(title);
