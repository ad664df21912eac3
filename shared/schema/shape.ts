/**
 * The board document's shape as data (format v1, docs/format.md): which keys each record
 * has, which of them are plain values and which are shared types, how deep they nest, and
 * the limits on each. The server's write gate admits a client's struct only where this
 * says it may stand [POL-16, POL-17]. Each record's shape lives in its own file (item.ts,
 * question.ts, …), next to the fields it describes; this module puts them together.
 */
import { ESTIMATION_SHAPE } from './estimation.ts';
import { ITEMS_SHAPE } from './item.ts';
import { META_SHAPE } from './meta.ts';
import { READS_SHAPE } from './reads.ts';
import { ROOT, type RootName } from './roots.ts';
import { SESSION_SHAPE } from './session.ts';
import type { Shape, TypeShape } from './shape-types.ts';
import { SPRINTS_SHAPE } from './sprint.ts';

/** The roots, one shape each. */
export const BOARD_SHAPE: Readonly<Record<RootName, TypeShape>> = {
  [ROOT.meta]: META_SHAPE,
  [ROOT.items]: ITEMS_SHAPE,
  [ROOT.sprints]: SPRINTS_SHAPE,
  [ROOT.session]: SESSION_SHAPE,
  [ROOT.estimation]: ESTIMATION_SHAPE,
  [ROOT.reads]: READS_SHAPE,
};

/** The deepest type nesting the format has: items → item → questions → question. */
export const MAX_TYPE_DEPTH = 3;

/**
 * The shape of what may stand under `key` (a map key; null for an array element) in a
 * type of shape `parent`, or null if nothing may.
 */
export function slotShape(parent: TypeShape, key: string | null): Shape | null {
  switch (parent.kind) {
    case 'record':
      return key !== null && Object.hasOwn(parent.fields, key) ? parent.fields[key]! : null;
    case 'mapOf':
      return key !== null && parent.key(key) ? parent.value : null;
    case 'listOf':
      return key === null ? parent.element : null;
    case 'text':
      return null;
  }
}
