/** One history event as a sentence, and times as "2 h ago". */
import type { HistoryEvent } from '../../shared/history.ts';

export function ago(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

const pos = (v: unknown) => (v && typeof v === 'object' && 'position' in v ? String((v as { position: unknown }).position) : '?');
const field = (v: unknown, key: string) => (v && typeof v === 'object' ? String((v as Record<string, unknown>)[key] ?? 'none') : 'none');

export function describeEvent(e: HistoryEvent): string {
  switch (e.kind) {
    case 'added':
      return `added “${String(e.title ?? '')}”`;
    case 'imported':
      return `imported ${String(e.count)} items`;
    case 'moved':
      return `moved from #${pos(e.from)} to #${pos(e.to)}`;
    case 'edited':
      return `edited the ${String(e.field)}`;
    case 'status':
      return `set status ${field(e.from, 'status')} → ${field(e.to, 'status')}`;
    case 'estimated':
      return `estimated ${field(e.from, 'estimate')} → ${field(e.to, 'estimate')}`;
    case 'agreed':
      return `poker round agreed on ${field(e.to, 'estimate')}`;
    case 'labels':
      return 'changed labels';
    case 'archived':
      return 'archived it';
    case 'restored':
      return 'restored it';
    case 'sprint':
      return 'changed the sprint';
    case 'question-asked':
      return 'asked a question';
    case 'question-answered':
      return 'answered a question';
    case 'question-resolved':
      return 'resolved a question';
    case 'commented':
      return 'commented';
  }
}
