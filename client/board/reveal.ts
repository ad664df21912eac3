/**
 * "Show this card": asks the backlog to scroll a card into view. The list is windowed, so
 * a card far off screen has no element to scrollIntoView until the backlog mounts it.
 */
import { useEffect, useRef } from 'react';
import type { ItemId } from '../../shared/ids.ts';

const requests = new EventTarget();

export function revealItem(id: ItemId): void {
  requests.dispatchEvent(new CustomEvent<ItemId>('reveal', { detail: id }));
}

export function useRevealRequests(handler: (id: ItemId) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const on = (e: Event) => latest.current((e as CustomEvent<ItemId>).detail);
    requests.addEventListener('reveal', on);
    return () => requests.removeEventListener('reveal', on);
  }, []);
}
