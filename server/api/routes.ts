/**
 * Every REST route, one module per area. To add an area, write server/api/<area>.ts
 * exporting a `Route[]` and add it here.
 */
import type { Route } from '../http/router.ts';
import { boardRoutes } from './boards.ts';
import { estimationRoutes } from './estimation.ts';
import { healthRoutes } from './health.ts';
import { historyRoutes } from './history.ts';
import { inviteRoutes } from './invites.ts';
import { memberRoutes } from './members.ts';
import { transferRoutes } from './transfer.ts';

export const restRoutes: readonly Route[] = [
  ...healthRoutes,
  ...boardRoutes,
  ...estimationRoutes,
  ...historyRoutes,
  ...inviteRoutes,
  ...memberRoutes,
  ...transferRoutes,
];
