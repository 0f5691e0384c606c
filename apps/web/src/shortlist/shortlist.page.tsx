import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { Link, useLocation } from 'wouter';
import { useApp } from '../app-context';
import type { Resume, Tier } from '../api/types';
import { useJob } from '../jobs/job-context';
import { candidateLabel, formatNumber, STATUS_TEXT } from '../lib/format';
import { SERIOUS_WARNINGS } from '../lib/warnings';
import { ErrorState, Loading } from '../ui/states';
import { ScoreBar, TierChip } from '../ui/tier';
import { UploadPanel } from '../upload/upload-panel';
import { BatchProgress } from './batch-progress';
import { criteriaSummary, filterRows } from './filter-rows';
import { useShortlist, type ShortlistFilters } from './use-shortlist';

const ROW_HEIGHT = 56;
const TIERS: (Tier | '')[] = ['', 'shortlist', 'maybe', 'reject'];
const TIER_TEXT: Record<string, string> = {
  '': 'All',
  shortlist: 'Shortlist',
  maybe: 'Maybe',
  reject: 'Reject',
};

export function ShortlistPage() {
  const { api } = useApp();
  const { job, live, selected, setSelected } = useJob();
  const [, navigate] = useLocation();
  const [filters, setFilters] = useState<ShortlistFilters>({
    sort: 'score',
    tier: '',
    status: '',
    minScore: '',
  });
  const [search, setSearch] = useState('');
  const [warningsOnly, setWarningsOnly] = useState(false);
  const deferredSearch = useDeferredValue(search);
  const list = useShortlist(api, job.id, filters, live.tick, live.settled);
  const rows = useMemo(
    () => filterRows(list.rows, { search: deferredSearch, warningsOnly }),
    [list.rows, deferredSearch, warningsOnly],
  );
  const clientFiltering = deferredSearch.trim() !== '' || warningsOnly;
  const ids = useId();

  // A search or warnings filter needs every row: keep loading pages while one is active.
  useEffect(() => {
    if (clientFiltering && list.hasMore && !list.loadingMore) list.loadMore();
  }, [clientFiltering, list]);

  const total = live.batches.reduce((n, b) => n + b.counts.total, 0);
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) =>
        current.includes(id) ? current.filter((x) => x !== id) : [...current, id],
      ),
    [setSelected],
  );

  const hasAny = list.rows.length > 0 || total > 0;

  return (
    <>
      <div className="page-header">
        <h1>{job.title}</h1>
        <div className="header-actions">
          <LiveBadge mode={live.mode} />
        </div>
      </div>
      {job.blind && (
        <p className="notice">
          Blind mode is on: names, contact details and file names are hidden while you screen.
        </p>
      )}

      <UploadPanel jobId={job.id} onBatch={live.addBatch} compact={hasAny} />
      <BatchProgress batches={live.batches} />

      <section aria-labelledby={`${ids}-h`} className="shortlist">
        <h2 id={`${ids}-h`}>Ranked candidates</h2>
        <div className="filters" role="group" aria-label="Filter and sort">
          <div className="tier-filter" role="radiogroup" aria-label="Tier">
            {TIERS.map((tier) => (
              <button
                key={tier || 'all'}
                type="button"
                role="radio"
                aria-checked={filters.tier === tier}
                className={filters.tier === tier ? 'chip-toggle on' : 'chip-toggle'}
                onClick={() => setFilters((f) => ({ ...f, tier }))}
              >
                {TIER_TEXT[tier]}
              </button>
            ))}
          </div>
          <label className="inline-field">
            Sort
            <select
              value={filters.sort}
              onChange={(e) =>
                setFilters((f) => ({ ...f, sort: e.target.value as ShortlistFilters['sort'] }))
              }
            >
              <option value="score">Best score first</option>
              <option value="uploadedAt">Newest first</option>
            </select>
          </label>
          <label className="inline-field">
            Status
            <select
              value={filters.status}
              onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value }))}
            >
              <option value="">Any</option>
              <option value="done">Scored</option>
              <option value="queued">Waiting</option>
              <option value="processing">Scoring</option>
              <option value="failed">Failed</option>
              <option value="duplicate">Duplicate</option>
            </select>
          </label>
          <label className="inline-field">
            Min score
            <input
              type="number"
              min={0}
              max={100}
              step={5}
              className="input-narrow"
              value={filters.minScore}
              onChange={(e) =>
                setFilters((f) => ({
                  ...f,
                  minScore:
                    e.target.value === '' ? '' : Math.max(0, Math.min(100, Number(e.target.value))),
                }))
              }
            />
          </label>
          <label className="inline-field grow">
            Skill
            <input
              type="search"
              placeholder="Search by skill, e.g. Kubernetes"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={warningsOnly}
              onChange={(e) => setWarningsOnly(e.target.checked)}
            />
            With warnings
          </label>
        </div>

        <div className="selection-bar" aria-live="polite">
          <span>
            {selected.length === 0
              ? 'Select candidates to compare or email them.'
              : `${selected.length} selected`}
          </span>
          <button
            type="button"
            className="button"
            disabled={selected.length < 2 || selected.length > 5}
            title="Compare 2 to 5 candidates"
            onClick={() => navigate(`/compare?ids=${selected.join(',')}`)}
          >
            Compare{selected.length >= 2 ? ` (${selected.length})` : ''}
          </button>
          <button
            type="button"
            className="button"
            disabled={selected.length === 0}
            onClick={() => navigate(`/email?ids=${selected.join(',')}`)}
          >
            Email{selected.length > 0 ? ` (${selected.length})` : ''}
          </button>
          {selected.length > 0 && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setSelected(() => [])}
            >
              Clear selection
            </button>
          )}
        </div>

        {list.error && list.rows.length === 0 ? (
          <ErrorState
            error={list.error}
            title="The shortlist could not be loaded"
            onRetry={list.retry}
          />
        ) : list.loading && list.rows.length === 0 ? (
          <Loading label="Loading candidates…" />
        ) : rows.length === 0 ? (
          <div className="state state-empty">
            <h3>
              {!hasAny
                ? 'No resumes yet'
                : clientFiltering && list.hasMore
                  ? 'Searching…'
                  : 'No candidates match these filters'}
            </h3>
            <p>
              {!hasAny
                ? 'Upload resumes above; they appear here ranked as they are scored.'
                : 'Try another tier, a lower minimum score or a different skill.'}
            </p>
          </div>
        ) : (
          <>
            <p className="count" aria-live="polite">
              Showing {formatNumber(rows.length)}
              {clientFiltering ? ' matching' : ''} of{' '}
              {formatNumber(Math.max(total, list.rows.length))}
              {list.hasMore && !clientFiltering ? ' (more load as you scroll)' : ''}
            </p>
            <CandidateGrid
              rows={rows}
              blind={job.blind}
              selected={selectedSet}
              onToggle={toggle}
              onOpen={(row) => navigate(`/candidates/${row.id}`)}
              onNearEnd={() => {
                if (list.hasMore && !list.loadingMore) list.loadMore();
              }}
            />
            {list.error && (
              <p className="inline-error" role="alert">
                {list.error.message}
              </p>
            )}
          </>
        )}
      </section>
    </>
  );
}

function LiveBadge({ mode }: { mode: string }) {
  if (mode === 'idle') return null;
  const text = mode === 'live' ? 'Live' : mode === 'polling' ? 'Updating' : 'Reconnecting…';
  return (
    <span className={`live-badge live-${mode}`} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/**
 * The ranked list as an ARIA grid, virtualised so 10,000 rows cost as little as 20: only visible
 * rows exist in the DOM. The grid keeps the focus and points at the active row with
 * aria-activedescendant (rows come and go as they scroll or re-rank; focus must not go with them);
 * arrows, Page Up/Down, Home and End move, Enter opens the candidate, Space selects.
 */
function CandidateGrid({
  rows,
  blind,
  selected,
  onToggle,
  onOpen,
  onNearEnd,
}: {
  rows: Resume[];
  blind: boolean;
  selected: Set<string>;
  onToggle(id: string): void;
  onOpen(row: Resume): void;
  onNearEnd(): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const gridId = useId();
  const activeIndex = Math.min(active, rows.length - 1);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // The active row stays rendered even when scrolled away, so aria-activedescendant always
    // points at an element.
    rangeExtractor: useCallback(
      (range: Range) => {
        const indexes = defaultRangeExtractor(range);
        if (activeIndex >= 0 && !indexes.includes(activeIndex)) {
          indexes.push(activeIndex);
          indexes.sort((a, b) => a - b);
        }
        return indexes;
      },
      [activeIndex],
    ),
  });
  const items = virtualizer.getVirtualItems();

  const lastVisible = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastVisible >= rows.length - 30) onNearEnd();
  }, [lastVisible, rows.length, onNearEnd]);

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const row = rows[activeIndex];
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        move(activeIndex + 1);
        break;
      case 'ArrowUp':
      case 'k':
        move(activeIndex - 1);
        break;
      case 'PageDown':
        move(activeIndex + page);
        break;
      case 'PageUp':
        move(activeIndex - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter':
        if (row) onOpen(row);
        break;
      case ' ':
      case 'x':
        if (row) onToggle(row.id);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      className="grid"
      role="grid"
      aria-label="Ranked candidates"
      aria-rowcount={rows.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={rows.length > 0 ? `${gridId}-row-${activeIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onClick={(event) => {
        const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (row) setActive(Number(row.dataset.index));
      }}
    >
      <div className="grid-row grid-head" role="row" aria-rowindex={1}>
        <span role="columnheader" className="c-rank">
          #
        </span>
        <span role="columnheader" className="c-select">
          <span className="visually-hidden">Selected</span>
        </span>
        <span role="columnheader" className="c-name">
          Candidate
        </span>
        <span role="columnheader" className="c-tier">
          Tier
        </span>
        <span role="columnheader" className="c-score">
          Score
        </span>
        <span role="columnheader" className="c-criteria">
          Criteria met
        </span>
        <span role="columnheader" className="c-flags">
          Notes
        </span>
      </div>
      <div className="grid-body" ref={scroller} data-testid="grid-scroller">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const isSelected = selected.has(row.id);
            const label = candidateLabel(row, blind);
            const summary = criteriaSummary(row);
            const serious = row.warnings.filter((w) => SERIOUS_WARNINGS.has(w.code));
            return (
              <div
                key={row.id}
                role="row"
                data-index={item.index}
                data-resume-id={row.id}
                aria-rowindex={item.index + 2}
                id={`${gridId}-row-${item.index}`}
                aria-selected={isSelected}
                className={`grid-row${isSelected ? ' selected' : ''}${item.index === activeIndex ? ' active' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              >
                <span role="gridcell" className="c-rank">
                  {item.index + 1}
                </span>
                <span role="gridcell" className="c-select">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isSelected}
                    aria-label={`Select ${label}`}
                    onChange={() => onToggle(row.id)}
                  />
                </span>
                <span role="gridcell" className="c-name">
                  <Link href={`/candidates/${row.id}`} tabIndex={-1} className="candidate-link">
                    {label}
                  </Link>
                  {row.analysis?.yearsExperience != null && (
                    <span className="sub">{row.analysis.yearsExperience} yrs</span>
                  )}
                </span>
                <span role="gridcell" className="c-tier">
                  {row.status === 'done' ? (
                    <TierChip tier={row.tier} />
                  ) : (
                    <span className={`status status-${row.status}`}>{STATUS_TEXT[row.status]}</span>
                  )}
                </span>
                <span role="gridcell" className="c-score">
                  <ScoreBar score={row.score} tier={row.tier} />
                </span>
                <span role="gridcell" className="c-criteria">
                  {summary.total > 0 ? `${summary.met} / ${summary.total}` : '—'}
                  {summary.missingRequired > 0 && (
                    <span className="sub warn-text">
                      {summary.missingRequired} required missing
                    </span>
                  )}
                </span>
                <span role="gridcell" className="c-flags">
                  {row.status === 'failed' && (
                    <span className="flag flag-bad">Could not score</span>
                  )}
                  {serious.length > 0 ? (
                    <span className="flag flag-bad">
                      {serious.length === 1 ? '1 warning' : `${serious.length} warnings`}
                    </span>
                  ) : row.warnings.length > 0 ? (
                    <span className="flag">
                      {row.warnings.length === 1 ? '1 note' : `${row.warnings.length} notes`}
                    </span>
                  ) : null}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
