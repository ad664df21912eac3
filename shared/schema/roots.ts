/**
 * The names of the board document's root types (format v1, docs/format.md), the one list
 * everyone uses: the schema modules, the server's write gate and the client's hooks.
 */
export const ROOT = {
  meta: 'meta',
  items: 'items',
  sprints: 'sprints',
  session: 'session',
  estimation: 'estimation',
  reads: 'reads',
} as const;
export type RootName = (typeof ROOT)[keyof typeof ROOT];

const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(ROOT));

/** Is `name` one of the format's roots (anything else is not part of a board)? */
export const isRootName = (name: string): name is RootName => ROOT_NAMES.has(name);
