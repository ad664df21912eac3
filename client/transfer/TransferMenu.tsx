/**
 * The board header's transfer controls: "Import" for the PO and SM, "Summary" and an
 * "Export" menu (JSON, CSV, Markdown) for everyone, viewers included.
 */
import { useEffect, useRef, useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/transfer/report.ts';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { downloadExport, EXPORT_LABELS } from './download.ts';
import { transferViewFor } from './transferView.ts';
import './transfer.css';

export function TransferMenu() {
  const { doc, facilitator } = useBoardContext();
  const view = transferViewFor(doc);
  return (
    <div className="transfer-menu">
      {facilitator && (
        <button type="button" className="btn btn-small transfer-btn" onClick={() => view.show({ kind: 'import', file: null })} data-testid="open-import">
          Import
        </button>
      )}
      <button type="button" className="btn btn-small transfer-btn" onClick={() => view.show({ kind: 'summary' })} data-testid="open-summary">
        Summary
      </button>
      <ExportMenu />
    </div>
  );
}

function ExportMenu() {
  const { me } = useBoardContext();
  const toasts = useToasts();
  const ref = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  // A menu closes on Escape (focus back on its button) and on a click elsewhere.
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, []);

  const pick = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const name = await downloadExport(me.boardId, me.token, format);
      toasts.show({ message: `Downloaded ${name}` });
      if (ref.current) ref.current.open = false;
    } catch (err) {
      toasts.show({ tone: 'warning', message: err instanceof Error ? err.message : 'The export failed.' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <details
      ref={ref}
      className="export-menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && ref.current?.open) {
          e.stopPropagation();
          ref.current.open = false;
          ref.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary className="btn btn-small transfer-btn" data-testid="open-export">
        Export <span aria-hidden="true">▾</span>
      </summary>
      <div className="menu-popover export-popover">
        <p className="small muted export-heading">Download this board as</p>
        <ul>
          {EXPORT_FORMATS.map((f) => (
            <li key={f}>
              <button type="button" className="export-option" onClick={() => pick(f)} disabled={busy !== null} data-testid={`export-${f}`}>
                <span className="export-option-label">{busy === f ? 'Preparing…' : EXPORT_LABELS[f].label}</span>
                <span className="small muted">{EXPORT_LABELS[f].hint}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
