import { useId, useState, type FormEvent } from 'react';
import type { JobInput } from '../api/api';
import { ApiError } from '../api/client';
import type { Criterion, Job } from '../api/types';
import { InlineError } from '../ui/states';

interface CriterionDraft {
  key: number;
  name: string;
  weight: string;
  required: boolean;
}

let nextKey = 1;
const draft = (c?: Criterion): CriterionDraft => ({
  key: nextKey++,
  name: c?.name ?? '',
  weight: String(c?.weight ?? 1),
  required: c?.required ?? false,
});

type FieldErrors = Record<string, string>;

/** Client-side checks mirror the API's rules so most mistakes are caught before sending. */
function validate(
  title: string,
  description: string,
  criteria: CriterionDraft[],
  shortlist: string,
  maybe: string,
): FieldErrors {
  const errors: FieldErrors = {};
  if (!title.trim()) errors.title = 'Give the job a title.';
  if (description.trim().length < 20)
    errors.description = 'Describe the role in at least 20 characters.';
  criteria.forEach((c, i) => {
    if (!c.name.trim()) errors[`criteria.${i}.name`] = 'Name the criterion or remove it.';
    const w = Number(c.weight);
    if (c.weight.trim() === '' || !Number.isFinite(w) || w < 0 || w > 10)
      errors[`criteria.${i}.weight`] = 'Weight is a number from 0 to 10.';
  });
  const s = Number(shortlist);
  const m = Number(maybe);
  if (shortlist.trim() === '' || !Number.isFinite(s) || s < 0 || s > 100)
    errors['thresholds.shortlist'] = 'A score from 0 to 100.';
  if (maybe.trim() === '' || !Number.isFinite(m) || m < 0 || m > 100)
    errors['thresholds.maybe'] = 'A score from 0 to 100.';
  else if (Number.isFinite(s) && m > s)
    errors['thresholds.maybe'] = 'The maybe threshold cannot be above the shortlist threshold.';
  return errors;
}

export function JobForm({
  job,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  job?: Job;
  submitLabel: string;
  onSubmit(input: JobInput): Promise<void>;
  onCancel?(): void;
}) {
  const [title, setTitle] = useState(job?.title ?? '');
  const [description, setDescription] = useState(job?.description ?? '');
  const [criteria, setCriteria] = useState<CriterionDraft[]>(() =>
    job ? job.criteria.map(draft) : [draft()],
  );
  const [shortlist, setShortlist] = useState(String(job?.thresholds.shortlist ?? 70));
  const [maybe, setMaybe] = useState(String(job?.thresholds.maybe ?? 45));
  const [blind, setBlind] = useState(job?.blind ?? false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();

  const update = (key: number, patch: Partial<CriterionDraft>) =>
    setCriteria((list) => list.map((c) => (c.key === key ? { ...c, ...patch } : c)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const used = criteria.filter((c) => c.name.trim() || c.weight !== '1' || c.required);
    const found = validate(title, description, used, shortlist, maybe);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0]!;
      document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit({
        title: title.trim(),
        description: description.trim(),
        ...(used.length > 0 || job
          ? {
              criteria: used.map((c) => ({
                name: c.name.trim(),
                weight: Number(c.weight),
                required: c.required,
              })),
            }
          : {}),
        thresholds: { shortlist: Number(shortlist), maybe: Number(maybe) },
        blind,
      });
    } catch (caught) {
      if (caught instanceof ApiError && caught.fieldErrors.length > 0) {
        setErrors(Object.fromEntries(caught.fieldErrors.map((e) => [e.field, e.message])));
      } else if (caught instanceof ApiError && caught.field) {
        setErrors({ [caught.field]: caught.message });
      }
      setFormError(caught instanceof Error ? caught.message : 'Saving failed.');
    } finally {
      setBusy(false);
    }
  }

  const field = (name: string) => ({
    id: `${ids}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${ids}-${name}-error` : undefined,
  });
  const fieldError = (name: string) =>
    errors[name] ? (
      <span id={`${ids}-${name}-error`} className="field-error">
        {errors[name]}
      </span>
    ) : null;

  return (
    <form className="job-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${ids}-title`}>Job title</label>
        <input
          {...field('title')}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
        {fieldError('title')}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-description`}>Description</label>
        <textarea
          {...field('description')}
          rows={6}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        {fieldError('description')}
      </div>

      <fieldset className="criteria">
        <legend>Criteria</legend>
        <p className="hint">
          What resumes are scored on. Weight sets importance (0-10); a required criterion that is
          missing keeps a candidate off the shortlist. Leave the list empty on a new job to derive
          criteria from the description.
        </p>
        <div className="criteria-rows">
          {criteria.map((c, i) => (
            <div className="criterion-row" key={c.key}>
              <div className="field">
                <label htmlFor={`${ids}-criteria.${i}.name`}>Criterion {i + 1}</label>
                <input
                  {...field(`criteria.${i}.name`)}
                  value={c.name}
                  placeholder="e.g. TypeScript"
                  onChange={(e) => update(c.key, { name: e.target.value })}
                />
                {fieldError(`criteria.${i}.name`)}
              </div>
              <div className="field field-narrow">
                <label htmlFor={`${ids}-criteria.${i}.weight`}>Weight</label>
                <input
                  {...field(`criteria.${i}.weight`)}
                  type="number"
                  min={0}
                  max={10}
                  step={0.5}
                  value={c.weight}
                  onChange={(e) => update(c.key, { weight: e.target.value })}
                />
                {fieldError(`criteria.${i}.weight`)}
              </div>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={c.required}
                  onChange={(e) => update(c.key, { required: e.target.checked })}
                />
                Required
              </label>
              <button
                type="button"
                className="button button-quiet"
                aria-label={`Remove criterion ${i + 1}${c.name ? ` (${c.name})` : ''}`}
                onClick={() => setCriteria((list) => list.filter((x) => x.key !== c.key))}
              >
                Remove
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          className="button"
          onClick={() => setCriteria((list) => [...list, draft()])}
        >
          Add criterion
        </button>
      </fieldset>

      <fieldset className="thresholds">
        <legend>Tiers</legend>
        <div className="field field-narrow">
          <label htmlFor={`${ids}-thresholds.shortlist`}>Shortlist at score</label>
          <input
            {...field('thresholds.shortlist')}
            type="number"
            min={0}
            max={100}
            value={shortlist}
            onChange={(e) => setShortlist(e.target.value)}
          />
          {fieldError('thresholds.shortlist')}
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${ids}-thresholds.maybe`}>Maybe at score</label>
          <input
            {...field('thresholds.maybe')}
            type="number"
            min={0}
            max={100}
            value={maybe}
            onChange={(e) => setMaybe(e.target.value)}
          />
          {fieldError('thresholds.maybe')}
        </div>
        <p className="hint">Below the maybe score a candidate is in the reject tier.</p>
      </fieldset>

      <label className="checkbox">
        <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} />
        Blind mode: hide names, contact details and file names while screening
      </label>

      <InlineError error={formError} />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
