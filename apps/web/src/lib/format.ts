import type { Resume } from '../api/types';

const numberFormat = new Intl.NumberFormat('en');
const moneyFormat = new Intl.NumberFormat('en', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 4,
});

export const formatNumber = (n: number): string => numberFormat.format(n);
export const formatMoney = (n: number): string => moneyFormat.format(n);
export const formatPercent = (ratio: number): string => `${Math.round(ratio * 100)}%`;

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Short, stable label that identifies a candidate without naming them (blind mode). */
export function anonymousLabel(resume: Pick<Resume, 'id'>): string {
  const tail = resume.id
    .replace(/[^a-z0-9]/gi, '')
    .slice(-6)
    .toUpperCase();
  return `Candidate ${tail}`;
}

/** How a candidate is named on screen; blind mode never shows the name or file name. */
export function candidateLabel(
  resume: Pick<Resume, 'id' | 'fileName' | 'candidate'>,
  blind: boolean,
): string {
  if (blind) return anonymousLabel(resume);
  return resume.candidate?.name?.trim() || resume.fileName;
}

export const STATUS_TEXT: Record<string, string> = {
  queued: 'Waiting',
  processing: 'Scoring…',
  done: 'Scored',
  failed: 'Failed',
  duplicate: 'Duplicate',
};
