/** The five roles a join link can carry. What each may do is shared/policy's (can.ts). */
export const ROLES = ['po', 'sm', 'dev', 'stakeholder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  po: 'Product Owner',
  sm: 'Scrum Master',
  dev: 'Developer',
  stakeholder: 'Stakeholder',
  viewer: 'Viewer',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
