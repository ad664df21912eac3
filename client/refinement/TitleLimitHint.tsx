/**
 * Length feedback for the detail panel's live title (issue 14). The title is a shared
 * Y.Text written on every keystroke, so it cannot hold more than the limit; instead of
 * cutting silently, this shows a count from 80 % of the limit and says when typed or
 * pasted text was cut. Counts Y.Text length (UTF-16 units), as the binding's cut does.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

export function TitleLimitHint({ text, max, cutBy, id }: { text: Y.Text | null; max: number; cutBy: number; id?: string }) {
  const [length, setLength] = useState(() => text?.length ?? 0);
  useEffect(() => {
    if (!text) return;
    const update = () => setLength(text.length);
    update();
    text.observe(update);
    return () => text.unobserve(update);
  }, [text]);
  if (cutBy > 0) {
    return (
      <span id={id} className="length-hint is-over" role="alert" data-testid="title-length-hint">
        Titles are at most {max} characters: the last {cutBy} {cutBy === 1 ? 'character was' : 'characters were'} not added.
      </span>
    );
  }
  if (length < max * 0.8) return null;
  return (
    <span id={id} className="length-hint" data-testid="title-length-hint">
      {length} / {max}
    </span>
  );
}
