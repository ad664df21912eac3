/**
 * The kinds of shape a board's record, field or root can have (docs/format.md): the
 * vocabulary the record modules describe themselves in, and that shape.ts composes into
 * the board's shape for the server's write gate [POL-16, POL-17].
 */

/** A plain JSON value in its parent map (Yjs `ContentAny` of one element). */
export interface ValueShape {
  kind: 'value';
  accepts: (value: unknown) => boolean;
  /** For refusals: what the field holds, in words. */
  what: string;
}
/** A `Y.Text`; only plain string content, no formatting or embeds. */
export interface TextShape {
  kind: 'text';
  maxLength: number;
}
/** A `Y.Map` with a fixed set of keys. */
export interface RecordShape {
  kind: 'record';
  fields: Readonly<Record<string, Shape>>;
}
/** A `Y.Map` keyed by ids (or labels) with one shape of value. */
export interface MapOfShape {
  kind: 'mapOf';
  key: (key: string) => boolean;
  keyWhat: string;
  value: Shape;
  maxEntries: number;
}
/** A `Y.Array` of one shape of element. */
export interface ListOfShape {
  kind: 'listOf';
  element: Shape;
  maxLength: number;
}
export type Shape = ValueShape | TextShape | RecordShape | MapOfShape | ListOfShape;
/** The shapes that are Yjs shared types (they can contain structs). */
export type TypeShape = TextShape | RecordShape | MapOfShape | ListOfShape;

export const isTypeShape = (s: Shape): s is TypeShape => s.kind !== 'value';
