/**
 * [UX-6] "Show the ready override for this item": a card's status menu refused "Ready"
 * (open questions) and the detail panel should show why, with the PO's "Mark ready
 * anyway", whether the panel is open already or opens now. A request waits until the
 * panel for that item takes it (it may mount after the request).
 */
const pending = new Set<string>();
const listeners = new Set<() => void>();

export function requestReadyOverride(itemId: string): void {
  pending.add(itemId);
  for (const l of listeners) l();
}

/** Calls `onRequest` now and on every later request for `itemId` (consumed once each). */
export function onReadyOverrideRequest(itemId: string, onRequest: () => void): () => void {
  const check = () => {
    if (pending.delete(itemId)) onRequest();
  };
  listeners.add(check);
  check();
  return () => listeners.delete(check);
}
