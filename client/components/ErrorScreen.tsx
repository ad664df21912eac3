import type { ReactNode } from 'react';
import { navigate } from '../router.ts';

export interface ErrorScreenProps {
  title: string;
  children: ReactNode;
  actionLabel?: string;
  actionHref?: string;
  onAction?: () => void;
}

/** A full-page explanation of why something cannot be shown, with one way forward. */
export function ErrorScreen({ title, children, actionLabel, actionHref, onAction }: ErrorScreenProps) {
  return (
    <main className="centered-page">
      <section className="panel error-panel" role="alert" aria-labelledby="error-title">
        <div className="error-icon" aria-hidden="true">
          !
        </div>
        <h1 id="error-title">{title}</h1>
        <p className="muted">{children}</p>
        {actionLabel && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              if (onAction) onAction();
              else if (actionHref) navigate(actionHref);
            }}
          >
            {actionLabel}
          </button>
        )}
      </section>
    </main>
  );
}
