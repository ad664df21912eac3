import type { ItemId } from '../../shared/ids.ts';

/**
 * Where to put `id` in the live order (as an index among the other items) so it follows
 * the same neighbour as in the drag preview. The live order may have changed while the
 * drag was in progress (remote moves, adds, archives); anchoring on the nearest neighbour
 * that still exists keeps the drop where the person saw it.
 */
export function liveDropIndex(preview: readonly ItemId[], live: readonly ItemId[], id: ItemId): number {
  const others = live.filter((x) => x !== id);
  const at = preview.indexOf(id);
  for (let i = at - 1; i >= 0; i--) {
    const j = others.indexOf(preview[i]!);
    if (j >= 0) return j + 1;
  }
  for (let i = at + 1; i < preview.length; i++) {
    const j = others.indexOf(preview[i]!);
    if (j >= 0) return j;
  }
  return Math.min(at, others.length);
}

