/**
 * Who is on the board and what they are doing, from y-protocols awareness. Snapshots are
 * rebuilt on awareness `change` (not on the 15 s heartbeats) and keep identity per item,
 * so a card re-renders only when someone starts or stops touching that card.
 */
import type { Awareness } from 'y-protocols/awareness';
import { boardColors } from '../../shared/colors.ts';
import type { AwarenessActivity, AwarenessUser } from '../../shared/protocol.ts';
import { isRole } from '../../shared/roles.ts';

export interface Peer extends AwarenessActivity {
  clientId: number;
  user: AwarenessUser;
  isSelf: boolean;
}

/** Someone else touching an item. */
export interface ItemActivity {
  userId: string;
  name: string;
  color: string;
  kind: 'dragging' | 'editing' | 'viewing';
}

const EMPTY: readonly ItemActivity[] = [];

function readUser(raw: unknown): AwarenessUser | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as Partial<AwarenessUser>;
  if (typeof u.id !== 'string' || typeof u.name !== 'string' || !isRole(u.role)) return null;
  // The colour is set in rebuild from everyone present (boardColors), not taken from the
  // state: a pinned colour is one server instance's choice, and our own state's is ours.
  return { id: u.id as AwarenessUser['id'], name: u.name, role: u.role, color: '' };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export class PresenceStore {
  private readonly listeners = new Set<() => void>();
  private peers: readonly Peer[] = [];
  /** One entry per person (several tabs of one person show one avatar), self first. */
  private people: readonly Peer[] = [];
  private activity = new Map<string, readonly ItemActivity[]>();

  constructor(private readonly awareness: Awareness) {
    this.rebuild();
    awareness.on('change', this.rebuild);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getPeers = (): readonly Peer[] => this.peers;
  getPeople = (): readonly Peer[] => this.people;
  getItemActivity = (itemId: string): readonly ItemActivity[] => this.activity.get(itemId) ?? EMPTY;

  /** Sets this client's activity fields (dragging / editing / viewing). */
  setActivity(patch: AwarenessActivity): void {
    const current = this.awareness.getLocalState();
    if (!current) return;
    const next: Record<string, unknown> = { ...current, ...patch };
    if (Object.keys(patch).every((k) => current[k] === next[k])) return;
    this.awareness.setLocalState(next);
  }

  destroy(): void {
    this.awareness.off('change', this.rebuild);
    this.listeners.clear();
  }

  private rebuild = (): void => {
    const self = this.awareness.clientID;
    const peers: Peer[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = readUser(state.user);
      if (!user) continue;
      peers.push({
        clientId,
        user,
        isSelf: clientId === self,
        dragging: str(state.dragging),
        editing: str(state.editing),
        viewing: str(state.viewing),
      });
    }
    // Distinct colours for the people on the board, the same on every client [UX-12].
    const colors = boardColors(peers.map((p) => p.user.id));
    for (const p of peers) p.user.color = colors.get(p.user.id)!;
    peers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
    this.peers = peers;

    const seen = new Set<string>();
    const people: Peer[] = [];
    for (const p of peers) {
      if (seen.has(p.user.id)) continue;
      seen.add(p.user.id);
      people.push(p);
    }
    this.people = people;

    const next = new Map<string, ItemActivity[]>();
    const selfUser = peers.find((p) => p.isSelf)?.user.id;
    for (const p of peers) {
      if (p.isSelf || p.user.id === selfUser) continue;
      for (const kind of ['dragging', 'editing', 'viewing'] as const) {
        const itemId = p[kind];
        if (!itemId) continue;
        const list = next.get(itemId) ?? [];
        if (!list.some((a) => a.userId === p.user.id && a.kind === kind)) {
          list.push({ userId: p.user.id, name: p.user.name, color: p.user.color, kind });
        }
        next.set(itemId, list);
      }
    }
    const activity = new Map<string, readonly ItemActivity[]>();
    for (const [itemId, list] of next) {
      const prev = this.activity.get(itemId);
      const same =
        prev &&
        prev.length === list.length &&
        prev.every((a, i) => a.userId === list[i]!.userId && a.kind === list[i]!.kind && a.color === list[i]!.color && a.name === list[i]!.name);
      activity.set(itemId, same ? prev : list);
    }
    this.activity = activity;
    for (const l of this.listeners) l();
  };
}
