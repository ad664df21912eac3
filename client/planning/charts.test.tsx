import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BurnChart } from './BurnChart.tsx';
import { CapacityBar } from './CapacityBar.tsx';
import { niceTicks } from './chartScale.ts';
import { ItemSprintLine } from './ItemSprint.tsx';
import { VelocityChart } from './VelocityChart.tsx';

const DAY = 86_400_000;

describe('charts a screen reader can read', () => {
  it('draws velocity as an SVG image with a title, a summary and the same numbers as a table', () => {
    const html = renderToStaticMarkup(
      <VelocityChart
        sprints={[
          { id: 's1', name: 'Sprint 12', committed: 20, completed: 18 },
          { id: 's2', name: 'Sprint 13', committed: 22, completed: 21 },
        ]}
        average={19.5}
      />,
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('<title');
    expect(html).toContain('Sprint 13: committed 22, completed 21');
    expect(html).toContain('Average of the last three: 19.5 points');
    expect(html).toMatch(/<table>.*Sprint 12.*20.*18.*Average of last 3.*19\.5/s);
  });

  it('says there is nothing to chart before the first closed sprint', () => {
    const html = renderToStaticMarkup(<VelocityChart sprints={[]} average={null} />);
    expect(html).toContain('Close a sprint');
    expect(html).not.toContain('<svg');
  });

  it('draws the burndown with an ideal line and a per-day table', () => {
    const start = Date.UTC(2026, 11, 7);
    const html = renderToStaticMarkup(
      <BurnChart
        sprintName="Sprint 14"
        startsAt={start}
        endsAt={start + 11 * DAY}
        committed={20}
        points={[
          { at: start, scope: 20, completed: 0 },
          { at: start + DAY, scope: 23, completed: 5 },
        ]}
      />,
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('18 of 23 points left');
    expect(html).toContain('class="plan-ideal"');
    expect(html).toMatch(/<td class="num">23<\/td><td class="num">5<\/td><td class="num">18<\/td>/);
  });

  it('says over capacity in words, not colour alone, and counts unestimated items', () => {
    const html = renderToStaticMarkup(<CapacityBar planned={16} capacity={13.5} unestimated={2} items={5} />);
    expect(html).toContain('Over capacity by 2.5 pts');
    expect(html).toContain('2 not estimated');
    expect(html).toContain('data-state="over"');
    expect(renderToStaticMarkup(<CapacityBar planned={8} capacity={null} unestimated={0} items={2} />)).toContain('no capacity set');
  });

  it('rounds axes to friendly steps', () => {
    expect(niceTicks(18)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('shows an item’s sprint with its state and goal in the item’s details; nothing for a backlog item', () => {
    const html = renderToStaticMarkup(<ItemSprintLine sprint={{ name: 'Sprint 14', goal: 'Pay in one tap', state: 'active' }} />);
    expect(html).toMatch(/Sprint 14.*active.*Sprint goal: Pay in one tap/s);
    expect(renderToStaticMarkup(<ItemSprintLine sprint={null} />)).toBe('');
  });
});
