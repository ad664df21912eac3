/**
 * The estimation panel under the session bar: planning poker and dot voting. Shown to
 * everyone; people who cannot act see the state, facilitators also get the controls.
 */
import { useBoardContext } from '../hooks/useBoard.ts';
import { AsyncRoundsSection } from './AsyncRounds.tsx';
import { DotVotingSection } from './DotVoting.tsx';
import { useAsyncRounds, useDotVoting, usePoker } from './hooks.ts';
import { PokerSection } from './PokerPanel.tsx';
import './estimation.css';

export function EstimationPanel() {
  const { doc, facilitator } = useBoardContext();
  const poker = usePoker(doc);
  const dots = useDotVoting(doc);
  const asyncRounds = useAsyncRounds(doc);
  // Nothing running and nothing to start: stay out of the way.
  if (!facilitator && poker.round === 0 && !dots && asyncRounds.length === 0) return null;
  return (
    <section className="est-panel" aria-label="Estimation" data-testid="estimation-panel">
      <div className="est-inner">
        <PokerSection />
        <AsyncRoundsSection />
        <DotVotingSection />
      </div>
    </section>
  );
}

export { DotBadge } from './DotVoting.tsx';
