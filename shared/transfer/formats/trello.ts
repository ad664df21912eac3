/**
 * A Trello board export (Board menu → Print, export and share → Export as JSON) [XFER-13]:
 * cards in board order (open lists by `pos`, then cards by `pos` within each list), the
 * card's labels (name, or colour when unnamed), its checklists as acceptance criteria
 * (checklists by `pos`, items by `pos`, `complete` = done), the card id as externalKey, the
 * list name as the status when it is one we know ("To Do", "Doing", "Done"…). Archived
 * cards and the cards of archived lists are skipped with a warning. `row` is the card's
 * 1-based position in the file's `cards` array.
 */
import { LIMITS } from '../../limits.ts';
import { limitLength, wellFormed } from '../../schema/text.ts';
import { descriptionField, keyField, labelsField, statusField, titleField } from '../fields.ts';
import { type ImportRecord, IssueLog, type Pacing, type ParsedImport, pacer, UnreadableImport } from '../record.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const pos = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.MAX_SAFE_INTEGER);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A Trello export has `lists` and `cards` arrays (and, in practice, `id`, `name`, `labels`, `checklists`). */
export const isTrelloBoard = (data: unknown): boolean => isObject(data) && Array.isArray(data.lists) && Array.isArray(data.cards);

/** A Trello label as one of ours: its name, or its colour when it has none. */
const labelText = (l: Json): string => str(l.name).trim() || str(l.color).trim();

export async function readTrelloBoard(data: unknown, log: IssueLog = new IssueLog(), pacing: Pacing = {}, maxRecords = Number.POSITIVE_INFINITY): Promise<ParsedImport> {
  if (!isTrelloBoard(data)) throw new UnreadableImport('A Trello export needs "lists" and "cards": expected the JSON that Trello\'s "Export as JSON" downloads');
  const board = data as Json;
  const lists = new Map(objects(board.lists).map((l) => [str(l.id), l]));
  const boardLabels = new Map(objects(board.labels).map((l) => [str(l.id), l]));
  const checklistsByCard = new Map<string, Json[]>();
  for (const c of objects(board.checklists)) {
    const card = str(c.idCard);
    checklistsByCard.set(card, [...(checklistsByCard.get(card) ?? []), c]);
  }
  // Board order: lists by pos, then cards by pos; a card of an unknown list goes last.
  const listRank = new Map([...lists.values()].sort((a, b) => pos(a.pos) - pos(b.pos)).map((l, i) => [str(l.id), i]));
  const cards = (board.cards as unknown[]).map((card, i) => ({ card, row: i + 1 }));
  const ordered = cards
    .filter((c): c is { card: Json; row: number } => isObject(c.card))
    .sort(
      (a, b) =>
        (listRank.get(str(a.card.idList)) ?? Number.MAX_SAFE_INTEGER) - (listRank.get(str(b.card.idList)) ?? Number.MAX_SAFE_INTEGER) ||
        pos(a.card.pos) - pos(b.card.pos) ||
        a.row - b.row,
    );
  const records: ImportRecord[] = [];
  let skipped = 0;
  const pace = pacer(pacing);
  for (const { card, row } of ordered) {
    await pace();
    const list = lists.get(str(card.idList));
    if (card.closed === true) {
      skipped++;
      log.warn(row, null, 'Archived cards are not imported');
      continue;
    }
    if (list?.closed === true) {
      skipped++;
      log.warn(row, null, `The card is in the archived list "${limitLength(str(list.name), 40)}"; not imported`);
      continue;
    }
    if (records.length >= maxRecords) {
      log.error(row, null, `More than ${maxRecords} cards: import the board in parts`);
      break;
    }
    const errorsBefore = log.errors.length;
    const title = titleField(str(card.name), { row, column: 'name' }, log);
    const description = descriptionField(str(card.desc), { row, column: 'desc' }, log);
    // Cards carry their labels both as ids and (in exports) as objects; either may be missing.
    const cardLabels = objects(card.labels);
    const named = cardLabels.length > 0 ? cardLabels : (Array.isArray(card.idLabels) ? card.idLabels : []).map((id) => boardLabels.get(str(id))).filter(isObject);
    const labels = labelsField(named.map(labelText).filter((l) => l !== ''), { row, column: 'labels' }, log, false);
    // A list name we know ("Done", "In Progress") is the status; any other leaves it New, quietly.
    const listName = str(list?.name);
    const quiet = new IssueLog();
    const status = listName ? statusField(listName, { row, column: 'list' }, quiet) : null;
    const criteria: { text: string; done: boolean }[] = [];
    const checklists = (checklistsByCard.get(str(card.id)) ?? []).sort((a, b) => pos(a.pos) - pos(b.pos));
    for (const checklist of checklists) {
      for (const item of objects(checklist.checkItems).sort((a, b) => pos(a.pos) - pos(b.pos))) {
        const text = limitLength(wellFormed(str(item.name).replace(/\s*[\r\n]+\s*/g, ' ').trim()), LIMITS.maxTitleLength);
        if (text) criteria.push({ text, done: item.state === 'complete' });
      }
    }
    if (criteria.length > LIMITS.maxCriteriaPerItem) {
      log.warn(row, 'checklists', `${criteria.length} checklist items; only the first ${LIMITS.maxCriteriaPerItem} are kept as acceptance criteria`);
      criteria.length = LIMITS.maxCriteriaPerItem;
    }
    const externalKey = keyField(str(card.id), { row, column: 'id' }, log);
    if (title === null || log.errors.length > errorsBefore) continue;
    records.push({ row, externalKey, title, description, status, estimate: null, labels, criteria });
  }
  return {
    format: 'trello',
    records,
    errors: log.errors,
    warnings: log.warnings,
    skipped,
    fields: new Set(['title', 'description', 'labels', 'status'] as const),
  };
}
