/**
 * Mounted once on the board screen: the drop overlay (drop an export anywhere on the
 * board to import it) and whichever transfer dialog is open (transferView.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { LazyPart, lazyPart } from '../components/LazyPart.tsx';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext, useMeta } from '../hooks/useBoard.ts';
import { transferViewFor, useTransferView } from './transferView.ts';
import './transfer.css';

// Chunks of their own, loaded when first opened (issue 16).
const ImportDialog = lazyPart(() => import('./ImportDialog.tsx').then((m) => m.ImportDialog));
const SummaryDialog = lazyPart(() => import('./SummaryView.tsx').then((m) => m.SummaryDialog));

const carriesFiles = (e: DragEvent): boolean => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

export function TransferLayer() {
  const { doc, facilitator } = useBoardContext();
  const store = transferViewFor(doc);
  const view = useTransferView(store);
  const dragging = useFileDrag(view.kind === 'none', facilitator, (file) => store.show({ kind: 'import', file }));
  return (
    <>
      {dragging && <DropOverlay />}
      {view.kind === 'import' && (
        <LazyPart what="the import" visible={false}>
          <ImportDialog initialFile={view.file} onClose={store.close} />
        </LazyPart>
      )}
      {view.kind === 'summary' && (
        <LazyPart what="the summary" visible={false}>
          <SummaryDialog onClose={store.close} />
        </LazyPart>
      )}
    </>
  );
}

/**
 * Whether a file is being dragged over the page. A drop opens the import for a
 * facilitator; anyone else is told why nothing happens (and the browser never navigates
 * away to the dropped file). While a dialog is open it handles drops itself.
 */
function useFileDrag(active: boolean, canImport: boolean, onFile: (f: File) => void): boolean {
  const toasts = useToasts();
  const [dragging, setDragging] = useState(false);
  // A ref, so a re-render (a new callback) doesn't re-subscribe mid-drag and lose the count.
  const onFileRef = useRef(onFile);
  onFileRef.current = onFile;
  useEffect(() => {
    if (!active) {
      setDragging(false);
      return;
    }
    // dragenter/dragleave fire for every child crossed: count them to know when the file left the page.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth += 1;
      if (canImport) setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = canImport ? 'copy' : 'none';
    };
    const leave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      if (canImport) onFileRef.current(file);
      else toasts.show({ tone: 'warning', message: 'Only the Product Owner or the Scrum Master can import into this board.' });
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [active, canImport, toasts]);
  return dragging;
}

function DropOverlay() {
  const { store } = useBoardContext();
  const meta = useMeta(store);
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <span className="drop-overlay-icon" />
        <p className="drop-overlay-title">Drop to import into “{meta.title}”</p>
        <p className="muted">Jira, Linear or Azure DevOps CSV, Trello JSON, a board export or any CSV. You see a preview before anything changes.</p>
      </div>
    </div>
  );
}
