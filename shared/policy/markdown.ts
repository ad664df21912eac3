/**
 * The policy table as Markdown, so docs/protocol.md shows exactly what the gate enforces
 * (a test fails when the two drift apart; regenerate with
 * `npx tsx -e "import('./shared/policy/markdown.ts').then(m => console.log(m.policyMarkdown()))"`).
 */
import { ROLES } from '../roles.ts';
import { POLICY } from './table.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function policyMarkdown(): string {
  const header = `| region | path | ${ROLES.join(' | ')} | rule | conditions |`;
  const rule = `|${' --- |'.repeat(ROLES.length + 4)}`;
  const rows = POLICY.map((row) => {
    const marks = ROLES.map((role) => (row.writers !== 'server' && row.writers.includes(role) ? '✓' : '—'));
    const conditions = row.writers === 'server' ? `Server only. ${row.conditions}`.trim() : row.conditions;
    return `| \`${row.region}\` | ${cell(row.path)} | ${marks.join(' | ')} | ${row.rule} | ${cell(conditions)} |`;
  });
  return [header, rule, ...rows].join('\n');
}
