/**
 * Short-lived notices at the bottom of the screen ("Item archived — Undo"). One provider
 * per board screen; `useToasts().show()` from anywhere below it.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

export interface ToastInput {
  message: string;
  action?: { label: string; run: () => void };
  /** Default 6 s; the toast stays while hovered or focused. */
  durationMs?: number;
  tone?: 'info' | 'warning';
  extra?: (done: () => void) => ReactNode; // e.g. the move reason field (client/history/)
}

interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  show: (t: ToastInput) => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToasts() outside <ToastProvider>');
  return ctx;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback((t: ToastInput) => {
    const id = nextId.current++;
    // Keep the last three: an undo for something older than that is rarely wanted.
    setToasts((ts) => [...ts.slice(-2), { ...t, id }]);
  }, []);
  const api = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <ol className="toasts" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <ToastView key={t.id} toast={t} onDone={() => dismiss(t.id)} />
        ))}
      </ol>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDone }: { toast: Toast; onDone: () => void }) {
  const [paused, setPaused] = useState(false);
  // A ref, so re-rendering the list (a new toast) doesn't restart this toast's clock.
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    if (paused) return;
    const t = setTimeout(() => done.current(), toast.durationMs ?? 6000);
    return () => clearTimeout(t);
  }, [paused, toast.durationMs]);
  return (
    <li
      className={`toast toast-${toast.tone ?? 'info'}`}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast-message">{toast.message}</span>
      {toast.extra?.(onDone)}
      {toast.action && (
        <button
          type="button"
          className="toast-action"
          onClick={() => {
            toast.action?.run();
            onDone();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDone}>
        ×
      </button>
    </li>
  );
}
