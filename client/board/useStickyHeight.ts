/**
 * Publishes an element's height as a CSS custom property on <html>, so things that stick
 * below it (the side column, the add box while typing) and scroll margins know where the
 * sticky top ends, however the toolbar wraps.
 */
import { useCallback, useRef } from 'react';

export function useStickyHeight<T extends HTMLElement>(property: `--${string}`): (el: T | null) => void {
  const observer = useRef<ResizeObserver | null>(null);
  return useCallback(
    (el: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!el) return;
      const publish = () => document.documentElement.style.setProperty(property, `${Math.ceil(el.getBoundingClientRect().height)}px`);
      publish();
      observer.current = new ResizeObserver(publish);
      observer.current.observe(el);
    },
    [property],
  );
}
