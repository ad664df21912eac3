/** The four roles a join link can carry. */
export const ROLES = ['po', 'sm', 'dev', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  po: 'Product Owner',
  sm: 'Scrum Master',
  dev: 'Developer',
  viewer: 'Viewer',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Viewers see everything and change nothing. */
export const canWriteDocument = (role: Role): boolean => role !== 'viewer';

/** PO and SM run the session: phase, timer, focus, estimation rounds, decks. */
export const isFacilitator = (role: Role): boolean => role === 'po' || role === 'sm';
