import { useEffect, useState } from 'react';

/** Copies `text` and says so for two seconds; falls back to selecting when the clipboard API is missing. */
export function CopyButton({ text, label = 'Copy link' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button
      type="button"
      className={`btn btn-small ${copied === 'yes' ? 'btn-success' : ''}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied('yes');
        } catch {
          setCopied('failed');
        }
      }}
    >
      <span aria-live="polite">{copied === 'yes' ? 'Copied ✓' : copied === 'failed' ? 'Copy failed — select it' : label}</span>
    </button>
  );
}
