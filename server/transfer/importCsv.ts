/**
 * Writes parsed import records into a board in one server change (one update, stored
 * before it is relayed, SRV-2). Rows whose key is already on the board (as an item's
 * externalKey or id) are skipped; new items go after the backlog in file order.
 */
import type * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { newItemId } from '../../shared/ids.ts';
import { planAppendAll } from '../../shared/ranking.ts';
import { boardRoots, rankedActiveEntries } from '../../shared/schema/board.ts';
import { createItemMap, readItem } from '../../shared/schema/item.ts';
import type { ImportRecord } from '../../shared/transfer/record.ts';
import type { ImportedItem } from '../../shared/transfer/report.ts';

export interface WriteResult {
  imported: number;
  skipped: number;
  items: ImportedItem[];
}

function keysOnBoard(doc: Y.Doc): Set<string> {
  const keys = new Set<string>();
  boardRoots(doc).items.forEach((raw, id) => {
    keys.add(id);
    const item = readItem(raw, id);
    if (item?.externalKey) keys.add(item.externalKey);
  });
  return keys;
}

/** Plans (and with `write`, writes) the records; call inside one transaction. */
export function writeRecords(doc: Y.Doc, records: readonly ImportRecord[], by: UserId, write: boolean, now: number): WriteResult {
  const known = keysOnBoard(doc);
  const fresh: { id: string; rec: ImportRecord }[] = [];
  let skipped = 0;
  for (const rec of records) {
    if (rec.externalKey && known.has(rec.externalKey)) {
      skipped++;
      continue;
    }
    if (rec.externalKey) known.add(rec.externalKey);
    fresh.push({ id: newItemId(), rec });
  }
  if (write && fresh.length > 0) {
    const { items } = boardRoots(doc);
    const plan = planAppendAll(rankedActiveEntries(doc), fresh.map((f) => f.id));
    for (const { id, rec } of fresh) {
      const map = createItemMap({
        id: id as never,
        title: rec.title,
        rank: plan.get(id)!,
        createdBy: by,
        createdAt: now,
        status: rec.status ?? 'new',
        description: rec.description,
        labels: rec.labels,
        estimate: rec.estimate,
        ...(rec.externalKey ? { externalKey: rec.externalKey } : {}),
      });
      items.set(id, map as unknown as Y.Map<unknown>);
      plan.delete(id);
    }
    for (const [id, rank] of plan) items.get(id)?.set('rank', rank);
  }
  return {
    imported: fresh.length,
    skipped,
    items: fresh.map(({ id, rec }) => ({ id, title: rec.title, externalKey: rec.externalKey, estimate: rec.estimate, status: rec.status ?? 'new', labels: rec.labels })),
  };
}
