/**
 * Windowing for the backlog: only the rows in or near the viewport are mounted, each
 * absolutely positioned at its offset inside a list as tall as all rows together, so the
 * page scrolls (and dnd-kit auto-scrolls) as if every card were there. Heights are measured
 * (ResizeObserver, kept per id so they survive reorders); rows never seen use the mean of
 * the measured ones. The page (window) is the scroller. `pinned` rows stay mounted wherever
 * they are: the dragged card, the drop target and the focused card must not unmount
 * (pass a memoised array).
 */
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

/** Gap between cards, px (the list's layout, mirrored in the card CSS). */
export const ROW_GAP = 8;
const FALLBACK_ROW_HEIGHT = 90;
/** Mounted beyond each edge of the viewport, px: room for a keyboard drag step or a fast scroll. */
const OVERSCAN_PX = 600;

export interface WindowRow<Id> {
  id: Id;
  index: number;
  top: number;
}

export interface WindowedList<Id> {
  rows: WindowRow<Id>[];
  totalHeight: number;
  /** Ref callback part for a row's element (it must carry data-item-id); returns the cleanup. */
  measure: (el: HTMLElement) => () => void;
  /** Scrolls the page so the row is on screen (mounting it first if needed). */
  reveal: (id: Id) => void;
}

interface Range {
  start: number;
  end: number;
}

/** First index whose row ends below `y` (offsets ascending). */
function firstEndingAfter(offsets: Float64Array, heights: (i: number) => number, y: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! + heights(mid) < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function useWindowedList<Id extends string>(
  ids: readonly Id[],
  listRef: RefObject<HTMLElement | null>,
  pinned: readonly (Id | null)[],
  holdAnchor = true,
): WindowedList<Id> {
  const holdAnchorRef = useRef(holdAnchor);
  holdAnchorRef.current = holdAnchor;
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);

  const layout = useMemo(() => {
    void measured;
    let sum = 0;
    for (const h of heights.current.values()) sum += h;
    const estimate = heights.current.size ? sum / heights.current.size : FALLBACK_ROW_HEIGHT;
    const offsets = new Float64Array(ids.length);
    const sizes = new Float64Array(ids.length);
    const index = new Map<string, number>();
    let y = 0;
    for (let i = 0; i < ids.length; i++) {
      index.set(ids[i]!, i);
      offsets[i] = y;
      sizes[i] = heights.current.get(ids[i]!) ?? estimate;
      y += sizes[i]! + ROW_GAP;
    }
    return { ids, offsets, sizes, index, total: Math.max(0, y - ROW_GAP) };
  }, [ids, measured]);
  const layoutRef = useRef(layout);

  const computeRange = useCallback((): Range => {
    const el = listRef.current;
    const { offsets, sizes } = layoutRef.current;
    if (!el || offsets.length === 0) return { start: 0, end: Math.min(offsets.length, 20) - 1 };
    const top = -el.getBoundingClientRect().top;
    const start = firstEndingAfter(offsets, (i) => sizes[i]!, top - OVERSCAN_PX);
    let end = start;
    const bottom = top + window.innerHeight + OVERSCAN_PX;
    while (end < offsets.length - 1 && offsets[end + 1]! < bottom) end++;
    return { start, end };
  }, [listRef]);

  const [range, setRange] = useState<Range>({ start: 0, end: Math.min(ids.length, 20) - 1 });
  const update = useCallback(() => {
    const next = computeRange();
    setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
  }, [computeRange]);

  useEffect(() => {
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [update]);

  // After a re-measure (same order) the first row on screen keeps its place, however much
  // the rows above it (or the estimate for rows never seen) changed. After an order change
  // (someone else moved, added or archived cards above) the rows on screen stay put too,
  // by the median shift of the first few, so one card moving away doesn't drag the view
  // along. `holdAnchor: false` skips this once: after a drop, the rows on screen already
  // are where dnd-kit showed them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: listRef is a ref; runs per layout
  useLayoutEffect(() => {
    const prev = layoutRef.current;
    layoutRef.current = layout;
    const el = listRef.current;
    if (!el || prev === layout || prev.offsets.length === 0 || !holdAnchorRef.current) return update();
    const viewTop = -el.getBoundingClientRect().top;
    if (viewTop <= 0) return update();
    const first = firstEndingAfter(prev.offsets, (k) => prev.sizes[k]!, viewTop);
    const shifts: number[] = [];
    for (let k = first; k < Math.min(prev.ids.length, first + (prev.ids === layout.ids ? 1 : 5)); k++) {
      const j = layout.index.get(prev.ids[k]!);
      if (j !== undefined) shifts.push(layout.offsets[j]! - prev.offsets[k]!);
    }
    shifts.sort((a, b) => a - b);
    const shift = shifts[shifts.length >> 1] ?? 0;
    if (shift) window.scrollBy(0, shift);
    update();
  }, [layout, update]);

  const observer = useMemo(
    () =>
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver((entries) => {
            let changed = false;
            for (const entry of entries) {
              const el = entry.target as HTMLElement;
              const id = el.dataset.itemId;
              if (!id || !el.isConnected) continue;
              const h = entry.borderBoxSize?.[0]?.blockSize ?? el.offsetHeight;
              if (!h || heights.current.get(id) === h) continue;
              heights.current.set(id, h);
              changed = true;
            }
            if (changed) setMeasured((m) => m + 1);
          }),
    [],
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  const measure = useCallback(
    (el: HTMLElement) => {
      observer?.observe(el);
      return () => observer?.unobserve(el);
    },
    [observer],
  );

  // Reveal: jump to the row's estimated place (which mounts it), then let the browser put
  // the real element on screen once it exists.
  const [revealing, setRevealing] = useState<Id | null>(null);
  const reveal = useCallback(
    (id: Id) => {
      const i = layoutRef.current.index.get(id);
      const el = listRef.current;
      if (i === undefined || !el) return;
      const { offsets, sizes } = layoutRef.current;
      const rowTop = el.getBoundingClientRect().top + offsets[i]!;
      if (rowTop < 0 || rowTop + sizes[i]! > window.innerHeight) {
        window.scrollTo({ top: window.scrollY + rowTop - window.innerHeight / 2 + sizes[i]! / 2 });
      }
      setRevealing(id);
    },
    [listRef],
  );
  useLayoutEffect(() => {
    if (revealing === null) return;
    const node = listRef.current?.querySelector(`[data-item-id="${CSS.escape(revealing)}"]`);
    if (!node) return;
    node.scrollIntoView({ block: 'nearest' });
    // Until the row has its real height the rows around it may still move it: stay pinned.
    if (heights.current.has(revealing)) setRevealing(null);
  });

  const rows = useMemo(() => {
    const { offsets } = layout;
    const n = ids.length;
    const wanted = new Set<number>();
    for (let i = Math.max(0, range.start); i <= Math.min(range.end, n - 1); i++) wanted.add(i);
    for (const id of [...pinned, revealing]) {
      const i = id === null ? undefined : layout.index.get(id);
      if (i !== undefined) wanted.add(i);
    }
    // Document order = backlog order, so Tab and screen readers read the list top down.
    return [...wanted].sort((a, b) => a - b).map((i) => ({ id: ids[i]!, index: i, top: offsets[i]! }));
  }, [ids, layout, range, revealing, pinned]);

  return { rows, totalHeight: layout.total, measure, reveal };
}
