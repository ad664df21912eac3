/**
 * The width a chart is drawn at, in CSS pixels, so its SVG user units are pixels and its
 * labels keep their size on a phone (a fixed 560-unit viewBox scaled to 330 px made them
 * 6 px). Falls back to `fallback` before the first measurement or without ResizeObserver.
 */
import { useCallback, useRef, useState } from 'react';

const MIN = 260;
const MAX = 900;

export function useChartWidth(fallback = 560): [(el: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = (w: number) => {
      if (w > 0) setWidth(Math.round(Math.min(MAX, Math.max(MIN, w))));
    };
    measure(el.clientWidth);
    observer.current = new ResizeObserver((entries) => measure(entries[0]?.contentRect.width ?? 0));
    observer.current.observe(el);
  }, []);
  return [ref, width];
}
