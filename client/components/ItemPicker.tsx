/**
 * Item picker: an editable combobox (WAI-ARIA APG "combobox with list autocomplete")
 * replacing native <select>s that listed every backlog item. Closed, it renders one input
 * showing the chosen item and subscribes to that item only, so board changes elsewhere
 * never re-render it. Open, it filters the backlog by title words or rank number and
 * renders at most MAX_MATCHES options.
 */
import { type KeyboardEvent, memo, useId, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import type { BoardStore } from '../hooks/boardStore.ts';
import { useBoardContext, useItem } from '../hooks/useBoard.ts';

/** Enough to scan by eye; typing narrows the rest. */
export const MAX_MATCHES = 50;

export interface ItemMatch {
  id: ItemId;
  /** 1-based position in the backlog, as shown on the card. */
  rank: number;
}

export interface ItemMatches {
  matches: readonly ItemMatch[];
  /** How many items match in all (may exceed `matches.length`). */
  total: number;
}

/**
 * Items whose title contains every word of `query` (case-insensitive), in backlog order;
 * a number (optionally `#12`) also puts the item at that rank first.
 */
export function matchItems(order: readonly ItemId[], titleOf: (id: ItemId) => string, query: string, limit = MAX_MATCHES): ItemMatches {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return { matches: order.slice(0, limit).map((id, i) => ({ id, rank: i + 1 })), total: order.length };
  }
  const matches: ItemMatch[] = [];
  let total = 0;
  const rankQuery = words.length === 1 ? /^#?(\d+)$/.exec(words[0]!) : null;
  const rank = rankQuery ? Number(rankQuery[1]) : 0;
  if (rank >= 1 && rank <= order.length) {
    matches.push({ id: order[rank - 1]!, rank });
    total++;
  }
  for (let i = 0; i < order.length; i++) {
    if (i + 1 === rank) continue;
    const title = titleOf(order[i]!).toLowerCase();
    if (!words.every((w) => title.includes(w))) continue;
    total++;
    if (matches.length < limit) matches.push({ id: order[i]!, rank: i + 1 });
  }
  return { matches, total };
}

const NO_ORDER: readonly ItemId[] = [];
const noSubscribe = () => () => {};

/** The backlog order while `active`; while not, no subscription at all. */
function useOrderWhile(store: BoardStore, active: boolean): readonly ItemId[] {
  const get = active ? store.getOrder : () => NO_ORDER;
  return useSyncExternalStore(active ? store.subscribe : noSubscribe, get, get);
}

export interface ItemPickerProps {
  /** The chosen item (may be archived: it is still shown, just not offered). */
  value: string | null;
  /** Keep stable (useCallback / a state setter): the picker is memoised. */
  onChange: (id: ItemId | null) => void;
  /** Accessible name, e.g. "Focus item". */
  label: string;
  /** Offer a "none" option with this text (e.g. "No focus"); without it an item must be chosen. */
  noneLabel?: string;
  disabled?: boolean;
  /** The 32 px control of toolbars such as the session bar. */
  small?: boolean;
  className?: string;
  /** data-testid of the input. */
  testId?: string;
}

type Option = { id: ItemId; rank: number } | { id: null; rank: 0 };

export const ItemPicker = memo(function ItemPicker({ value, onChange, label, noneLabel, disabled, small, className, testId }: ItemPickerProps) {
  const { store } = useBoardContext();
  const current = useItem(store, value ?? '');
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  // null: start on the chosen item (as a native select does); a number once the user moves or types.
  const [active, setActive] = useState<number | null>(null);
  const listId = useId();
  const listRef = useRef<HTMLDivElement>(null);

  const order = useOrderWhile(store, open);
  const found = useMemo(
    () => (open ? matchItems(order, (id) => store.getItem(id)?.title ?? '', query) : null),
    [open, order, query, store],
  );
  const options = useMemo<readonly Option[]>(() => {
    if (!found) return [];
    const q = query.trim().toLowerCase();
    const list: Option[] = noneLabel !== undefined && (q === '' || noneLabel.toLowerCase().includes(q)) ? [{ id: null, rank: 0 }] : [];
    // Unfiltered, the chosen item is offered even when it ranks below the first MAX_MATCHES.
    if (q === '' && value !== null && !found.matches.some((m) => m.id === value)) {
      const at = order.indexOf(value as ItemId);
      if (at >= 0) list.push({ id: order[at]!, rank: at + 1 });
    }
    return list.concat(found.matches);
  }, [found, noneLabel, query, value, order]);
  const activeIndex =
    options.length === 0 ? -1 : active === null ? Math.max(0, options.findIndex((o) => o.id === value)) : Math.min(active, options.length - 1);

  const openList = () => {
    if (open || disabled) return;
    setQuery('');
    setActive(null);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    setQuery('');
  };
  const choose = (option: Option | undefined) => {
    if (!option) return;
    close();
    if (option.id !== value) onChange(option.id);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        e.preventDefault();
        if (!open) openList();
        else if (options.length > 0) {
          const step = e.key === 'ArrowDown' ? 1 : -1;
          setActive((activeIndex + step + options.length) % options.length);
        }
        return;
      }
      case 'Enter':
        if (open) {
          e.preventDefault();
          choose(options[activeIndex]);
        }
        return;
      case 'Escape':
        if (open) {
          // Only the list closes, not whatever panel the picker sits in.
          e.preventDefault();
          e.stopPropagation();
          close();
        }
        return;
      case 'Tab':
        if (open) close();
        return;
    }
  };

  useLayoutEffect(() => {
    if (!open) return;
    listRef.current?.querySelector(`[data-index="${activeIndex}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, activeIndex]);

  const shown = current ? current.title || 'Untitled' : value === null && noneLabel !== undefined ? noneLabel : '';
  const optionId = (i: number) => `${listId}-${i}`;

  return (
    <div className={`item-picker ${small ? 'item-picker-sm' : ''} ${className ?? ''}`}>
      <input
        className="input item-picker-input"
        data-testid={testId}
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        value={open ? query : shown}
        placeholder={open ? shown || 'Type a title or rank number' : 'Choose an item'}
        title={open ? undefined : shown}
        onFocus={(e) => e.currentTarget.select()}
        onClick={openList}
        onBlur={close}
        onKeyDown={onKeyDown}
        onChange={(e) => {
          if (!open) openList();
          setQuery(e.target.value);
          setActive(0);
        }}
      />
      {/* Always in the DOM (empty while closed) so aria-controls points at something. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: keeps focus in the input so a click chooses rather than blurs (and closes) first */}
      <div className="item-picker-popup" hidden={!open} onMouseDown={(e) => e.preventDefault()}>
        <div ref={listRef} id={listId} role="listbox" aria-label={label} className="item-picker-list">
          {open &&
            options.map((option, i) => (
              <PickerOption
                key={option.id ?? ''}
                id={optionId(i)}
                index={i}
                option={option}
                noneLabel={noneLabel}
                active={i === activeIndex}
                selected={option.id === value}
                onHover={setActive}
                onChoose={choose}
              />
            ))}
        </div>
        {open && found && (
          <p className="item-picker-note" aria-live="polite">
            {found.total === 0
              ? `No item matches “${query.trim()}”`
              : found.total > found.matches.length
                ? `First ${found.matches.length} of ${found.total.toLocaleString('en')}: type to narrow`
                : `${found.total} ${found.total === 1 ? 'item' : 'items'}`}
          </p>
        )}
      </div>
    </div>
  );
});

interface PickerOptionProps {
  id: string;
  index: number;
  option: Option;
  noneLabel: string | undefined;
  active: boolean;
  selected: boolean;
  onHover: (index: number) => void;
  onChoose: (option: Option) => void;
}

function PickerOption({ id, index, option, noneLabel, active, selected, onHover, onChoose }: PickerOptionProps) {
  const { store } = useBoardContext();
  // Live title: someone may rename an item while the list is open.
  const item = useItem(store, option.id ?? '');
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: options stay unfocusable; the input keeps focus (aria-activedescendant)
    // biome-ignore lint/a11y/useKeyWithClickEvents: keys go through the combobox input
    <div
      id={id}
      role="option"
      // APG combobox: aria-selected marks the highlighted option; the current choice is marked apart.
      aria-selected={active}
      data-index={index}
      className={`item-picker-option ${active ? 'is-active' : ''} ${selected ? 'is-current' : ''} ${option.id === null ? 'is-none' : ''}`}
      onMouseMove={() => !active && onHover(index)}
      onClick={() => onChoose(option)}
    >
      {option.id === null ? (
        <span className="item-picker-title">{noneLabel}</span>
      ) : (
        <>
          <span className="item-picker-rank">{option.rank}</span>
          <span className="item-picker-title">{item?.title || 'Untitled'}</span>
        </>
      )}
      {selected && <span className="visually-hidden"> (current)</span>}
    </div>
  );
}
