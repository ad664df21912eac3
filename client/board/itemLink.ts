/** The open item detail lives in the URL (`?item=<id>`), so it can be linked and survives reloads. */
import type { ItemId } from '../../shared/ids.ts';
import { setSearchParam, useSearchParam } from '../router.ts';

export const ITEM_PARAM = 'item';

export const useOpenItemId = (): ItemId | null => useSearchParam(ITEM_PARAM) as ItemId | null;
export const openItemDetail = (id: ItemId): void => setSearchParam(ITEM_PARAM, id);
export const closeItemDetail = (): void => setSearchParam(ITEM_PARAM, null);
