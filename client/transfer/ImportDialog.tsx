/**
 * Import a backlog (issue 12): choose or drop a file; a dry run shows the detected format,
 * the first items as they will land, the problems by row, and (for a generic CSV) which
 * column holds what; then the import writes it all at once for everyone [XFER-1].
 * Each change of an option that alters the outcome runs the dry run again.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { LIMITS } from '../../shared/limits.ts';
import { IMPORT_FORMATS, type ImportFormat, type ImportReport } from '../../shared/transfer/report.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { ColumnMappingFields, IssueList, PreviewTable, rowNoun } from './ImportReportView.tsx';
import {
  DEFAULT_IMPORT_OPTIONS,
  FORMAT_LABELS,
  forecastSentence,
  formatBytes,
  type ImportOptions,
  resultSentence,
  tooLargeMessage,
} from './importRequest.ts';
import { Modal } from './Modal.tsx';
import { type UploadProgress, uploadImport } from './upload.ts';

type Phase =
  | { kind: 'choose' }
  | { kind: 'checking'; progress: UploadProgress | null }
  | { kind: 'preview'; report: ImportReport; blocked: boolean }
  | { kind: 'importing'; progress: UploadProgress | null; report: ImportReport }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; message: string };

/** Files this size or larger show a progress bar while they are sent. */
const SHOW_PROGRESS_FROM_BYTES = 256 * 1024;

export function ImportDialog({ initialFile, onClose }: { initialFile: File | null; onClose: () => void }) {
  const { me } = useBoardContext();
  const [file, setFile] = useState<File | null>(initialFile);
  const [options, setOptions] = useState<ImportOptions>(DEFAULT_IMPORT_OPTIONS);
  const [phase, setPhase] = useState<Phase>({ kind: 'choose' });
  const doneRef = useRef<HTMLButtonElement>(null);

  // The dry run, again whenever the file or an option that changes the outcome changes.
  const { format, partial, update, mapping } = options;
  const mappingKey = JSON.stringify(mapping);
  useEffect(() => {
    if (!file) {
      setPhase({ kind: 'choose' });
      return;
    }
    if (file.size > LIMITS.maxImportBytes) {
      setPhase({ kind: 'failed', message: tooLargeMessage(file.size) });
      return;
    }
    setPhase({ kind: 'checking', progress: null });
    // Where new items go changes no count: the forecast says it without sending the file again.
    const dry: ImportOptions = { format, partial, update, mapping: JSON.parse(mappingKey), position: 'bottom', dryRun: true };
    const up = uploadImport(me.boardId, me.token, file, dry, (progress) => setPhase((p) => (p.kind === 'checking' ? { kind: 'checking', progress } : p)));
    let current = true;
    up.done.then((outcome) => {
      if (!current) return;
      if (outcome.kind === 'failed') setPhase({ kind: 'failed', message: outcome.message });
      else setPhase({ kind: 'preview', report: outcome.report, blocked: outcome.status === 422 });
    });
    return () => {
      current = false;
      up.abort();
    };
  }, [file, format, partial, update, mappingKey, me.boardId, me.token]);

  useEffect(() => {
    if (phase.kind === 'done') doneRef.current?.focus();
  }, [phase.kind]);

  const runImport = (report: ImportReport) => {
    if (!file) return;
    setPhase({ kind: 'importing', progress: null, report });
    const up = uploadImport(me.boardId, me.token, file, { ...options, dryRun: false }, (progress) =>
      setPhase((p) => (p.kind === 'importing' ? { ...p, progress } : p)),
    );
    up.done.then((outcome) => {
      if (outcome.kind === 'failed') setPhase({ kind: 'failed', message: outcome.message });
      else if (outcome.status === 422) setPhase({ kind: 'preview', report: outcome.report, blocked: true });
      else setPhase({ kind: 'done', report: outcome.report });
    });
  };

  const set = (patch: Partial<ImportOptions>) => setOptions((o) => ({ ...o, ...patch }));
  const busy = phase.kind === 'importing';
  const report = phase.kind === 'preview' || phase.kind === 'importing' || phase.kind === 'done' ? phase.report : null;
  const canImport = phase.kind === 'preview' && !phase.blocked && phase.report.imported + phase.report.updated > 0;

  const footer =
    phase.kind === 'done' ? (
      <button ref={doneRef} type="button" className="btn btn-primary" onClick={onClose} data-testid="import-close">
        Done
      </button>
    ) : (
      <>
        {/* Once sent, the server writes the import whatever we do: no cancelling then. */}
        <button type="button" className="btn" onClick={onClose} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canImport}
          onClick={() => phase.kind === 'preview' && runImport(phase.report)}
          data-testid="import-confirm"
        >
          {busy ? 'Importing…' : phase.kind === 'preview' && canImport ? `${phase.report.imported === 0 ? 'Update' : 'Import'} ${importCount(phase.report)}` : 'Import'}
        </button>
      </>
    );

  return (
    <Modal title="Import a backlog" onClose={onClose} busy={busy} footer={footer} className="import-dialog" testId="import-dialog">
      {phase.kind === 'done' ? (
        <ImportResult report={phase.report} />
      ) : (
        <>
          <FileChooser file={file} onFile={(f) => setFile(f)} disabled={busy} />
          {phase.kind === 'failed' && (
            <div className="import-failed" role="alert" data-testid="import-failed">
              {phase.message}
            </div>
          )}
          {(phase.kind === 'checking' || phase.kind === 'importing') && (
            <Progress label={phase.kind === 'checking' ? 'Reading the file…' : 'Importing…'} progress={phase.progress} size={file?.size ?? 0} />
          )}
          {report && (
            <>
              <p className="import-detected" data-testid="import-format">
                Detected <strong>{FORMAT_LABELS[report.format]}</strong>
                {file && <span className="muted"> · {formatBytes(file.size)}</span>}
              </p>
              <p className={`import-forecast ${phase.kind === 'preview' && phase.blocked ? 'is-blocked' : ''}`} role="status" data-testid="import-forecast">
                {forecastSentence(report, options.partial, options.position)}
              </p>
              <PreviewTable report={report} />
              {report.format === 'csv' && report.columns && report.columns.length > 0 && (
                <details className="import-mapping-box" open={report.items.length === 0 || report.errors.length > 0 || Object.keys(options.mapping).length > 0}>
                  <summary>Map columns</summary>
                  <ColumnMappingFields columns={report.columns} mapping={options.mapping} onChange={(m) => set({ mapping: m })} disabled={busy} />
                </details>
              )}
              <IssueList kind="error" issues={report.errors} noun={rowNoun(report.format)} />
              <IssueList kind="warning" issues={report.warnings} noun={rowNoun(report.format)} />
            </>
          )}
          {file && phase.kind !== 'failed' && <ImportOptionsFields options={options} onChange={set} report={report} disabled={busy} />}
        </>
      )}
    </Modal>
  );
}

const importCount = (r: ImportReport): string => {
  const n = r.imported + r.updated;
  return `${n.toLocaleString('en')} ${n === 1 ? 'item' : 'items'}`;
};

function FileChooser({ file, onFile, disabled }: { file: File | null; onFile: (f: File) => void; disabled: boolean }) {
  const inputId = useId();
  const [over, setOver] = useState(false);
  return (
    <fieldset
      className={`import-chooser ${over ? 'is-over' : ''} ${file ? 'has-file' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation(); // the board's drop zone would open the dialog again
        setOver(false);
        const f = e.dataTransfer.files[0];
        if (f && !disabled) onFile(f);
      }}
    >
      <legend className="visually-hidden">File to import</legend>
      <input
        id={inputId}
        type="file"
        className="visually-hidden"
        accept=".csv,.json,.txt,text/csv,application/json"
        disabled={disabled}
        data-testid="import-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          e.target.value = '';
        }}
      />
      {file ? (
        <p className="import-file-name">
          <span className="import-file-icon" aria-hidden="true" />
          <strong>{file.name}</strong>
        </p>
      ) : (
        <p className="import-chooser-hint">Drop an export here, or choose a file. Jira, Linear and Azure DevOps CSV, Trello JSON, a board export, or any spreadsheet saved as CSV with a header row.</p>
      )}
      <label htmlFor={inputId} className={`btn btn-small ${disabled ? 'is-disabled' : ''}`}>
        {file ? 'Choose another file' : 'Choose a file'}
      </label>
      <p className="small muted">Up to {formatBytes(LIMITS.maxImportBytes)}.</p>
    </fieldset>
  );
}

function ImportOptionsFields({
  options,
  onChange,
  report,
  disabled,
}: {
  options: ImportOptions;
  onChange: (patch: Partial<ImportOptions>) => void;
  report: ImportReport | null;
  disabled: boolean;
}) {
  const formatId = useId();
  const hasErrors = (report?.errors.length ?? 0) > 0;
  return (
    <fieldset className="import-options" disabled={disabled}>
      <legend>Options</legend>
      {(hasErrors || options.partial) && (
        <label className="import-check">
          <input type="checkbox" checked={options.partial} onChange={(e) => onChange({ partial: e.target.checked })} data-testid="import-partial" />
          <span>Import the good rows and skip the rows with problems</span>
        </label>
      )}
      <label className="import-check">
        <input type="checkbox" checked={options.update} onChange={(e) => onChange({ update: e.target.checked })} data-testid="import-update" />
        <span>Update items already on the board (same key) with the file’s title, description, estimate, labels and status</span>
      </label>
      <div className="import-position" role="radiogroup" aria-label="Where the new items go">
        <span className="import-option-label">Add new items</span>
        <label className="import-radio">
          <input type="radio" name="import-position" checked={options.position === 'bottom'} onChange={() => onChange({ position: 'bottom' })} />
          <span>after the backlog</span>
        </label>
        <label className="import-radio">
          <input type="radio" name="import-position" checked={options.position === 'top'} onChange={() => onChange({ position: 'top' })} data-testid="import-top" />
          <span>at the top</span>
        </label>
      </div>
      <div className="import-format">
        <label htmlFor={formatId} className="import-option-label">
          Read the file as
        </label>
        <select id={formatId} value={options.format} onChange={(e) => onChange({ format: e.target.value as ImportFormat | 'auto', mapping: {} })}>
          <option value="auto">Detect automatically</option>
          {IMPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

function Progress({ label, progress, size }: { label: string; progress: UploadProgress | null; size: number }) {
  const sending = progress && progress.sent < progress.total;
  const pct = progress && progress.total > 0 ? Math.round((progress.sent / progress.total) * 100) : 0;
  const showBar = size >= SHOW_PROGRESS_FROM_BYTES;
  return (
    <div className="import-progress" role="status" data-testid="import-progress">
      <span>{sending ? `${label} sending ${pct}% of ${formatBytes(size)}` : progress ? `${label} the server is working on it` : label}</span>
      {showBar && <progress max={100} value={sending ? pct : progress ? 100 : undefined} aria-label="Upload progress" />}
    </div>
  );
}

function ImportResult({ report }: { report: ImportReport }) {
  return (
    <div className="import-result" data-testid="import-result">
      <p className="import-result-line" role="status">
        <span className="import-result-icon" aria-hidden="true">
          ✓
        </span>
        {resultSentence(report)}
      </p>
      <p className="muted">
        Everyone on the board sees the items now
        {report.imported > 0 ? `, ${report.position === 'top' ? 'at the top of the backlog' : 'after the backlog'}, in the file’s order` : ''}.
      </p>
      <IssueList kind="error" issues={report.errors} noun={rowNoun(report.format)} />
      <IssueList kind="warning" issues={report.warnings} noun={rowNoun(report.format)} />
    </div>
  );
}
