import type {
  ApiKey,
  AuditRecord,
  Batch,
  CompanyProfile,
  EmailMessage,
  EmailOptOut,
  Job,
  Resume,
  User,
} from '@shortlist/contracts';

/** Row shapes as stored; JSON columns hold serialized arrays/objects. */
export type Row = Record<string, unknown>;

const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const json = <T>(v: unknown): T => JSON.parse(v as string) as T;

export function toUser(r: Row): User {
  return {
    id: str(r.id),
    name: str(r.name),
    role: r.role as User['role'],
    firebaseUid: strOrNull(r.firebase_uid),
    createdAt: str(r.created_at),
  };
}

export function toApiKey(r: Row): ApiKey {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    prefix: str(r.prefix),
    hash: str(r.hash),
    label: str(r.label),
    createdAt: str(r.created_at),
    revokedAt: strOrNull(r.revoked_at),
  };
}

export function toJob(r: Row): Job {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    title: str(r.title),
    description: str(r.description),
    criteria: json(r.criteria),
    criteriaDerived: r.criteria_derived === 1,
    ...(r.criteria_reused_from ? { criteriaReusedFrom: str(r.criteria_reused_from) } : {}),
    thresholds: json(r.thresholds),
    blind: r.blind === 1,
    version: Number(r.version),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

export function toBatch(r: Row): Batch {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    jobId: str(r.job_id),
    counts: {
      total: Number(r.total),
      queued: Number(r.queued),
      processing: Number(r.processing),
      done: Number(r.done),
      failed: Number(r.failed),
      duplicate: Number(r.duplicate),
    },
    createdAt: str(r.created_at),
    finishedAt: strOrNull(r.finished_at),
  };
}

export function toResume(r: Row): Resume {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    jobId: str(r.job_id),
    batchId: str(r.batch_id),
    fileName: str(r.file_name),
    blobKey: str(r.blob_key),
    sha256: str(r.sha256),
    size: Number(r.size),
    mime: str(r.mime),
    uploadedAt: str(r.uploaded_at),
    status: r.status as Resume['status'],
    error: strOrNull(r.error),
    duplicateOf: strOrNull(r.duplicate_of),
    jobVersion: Number(r.job_version),
    textChars: r.text_chars === null ? null : Number(r.text_chars),
    candidate: json(r.candidate),
    analysis: r.analysis === null ? null : json(r.analysis),
    score: r.score === null ? null : Number(r.score),
    tier: (r.tier ?? null) as Resume['tier'],
    warnings: json(r.warnings),
    updatedAt: str(r.updated_at),
  };
}

/**
 * What {@link resumeJson} reads: a resume's text, integer and null columns as JSON built by SQLite
 * in `Resume`'s key order up to `textChars` (`head`: one string per row instead of fifteen values,
 * which is most of the cost of reading a page), the stored JSON columns, and the columns cursors
 * sort by. SQLite escapes strings as `JSON.stringify` does, but prints REAL numbers differently
 * (`100.0`), so the score is added in JS.
 */
export const RESUME_JSON_COLUMNS = `id, uploaded_at, score, tier, candidate, analysis, warnings, updated_at,
  json_object('id', id, 'userId', user_id, 'jobId', job_id, 'batchId', batch_id,
    'fileName', file_name, 'blobKey', blob_key, 'sha256', sha256, 'size', size, 'mime', mime,
    'uploadedAt', uploaded_at, 'status', status, 'error', error, 'duplicateOf', duplicate_of,
    'jobVersion', job_version, 'textChars', text_chars) AS head`;

/**
 * The JSON text of `toResume(row)`, byte for byte what `JSON.stringify(toResume(row))` gives, from
 * a row of {@link RESUME_JSON_COLUMNS}. The stored JSON columns (candidate, analysis, warnings) are
 * spliced in as they are: they were written by `JSON.stringify` ({@link fromResume},
 * {@link resumePatchColumns}), so parsing them only to serialise them again is wasted work.
 */
export function resumeJson(r: Row): string {
  const scored = JSON.stringify({
    score: r.score === null ? null : Number(r.score),
    tier: r.tier ?? null,
  });
  return (
    `${str(r.head).slice(0, -1)},"candidate":${str(r.candidate)},"analysis":${strOrNull(r.analysis) ?? 'null'},` +
    `${scored.slice(1, -1)},"warnings":${str(r.warnings)},"updatedAt":${JSON.stringify(str(r.updated_at))}}`
  );
}

export function fromResume(x: Resume): Row {
  return {
    id: x.id,
    user_id: x.userId,
    job_id: x.jobId,
    batch_id: x.batchId,
    file_name: x.fileName,
    blob_key: x.blobKey,
    sha256: x.sha256,
    size: x.size,
    mime: x.mime,
    uploaded_at: x.uploadedAt,
    status: x.status,
    error: x.error,
    duplicate_of: x.duplicateOf,
    job_version: x.jobVersion,
    text_chars: x.textChars,
    candidate: JSON.stringify(x.candidate),
    analysis: x.analysis === null ? null : JSON.stringify(x.analysis),
    score: x.score,
    tier: x.tier,
    warnings: JSON.stringify(x.warnings),
    updated_at: x.updatedAt,
  };
}

/** Maps a resume patch to column assignments. */
export function resumePatchColumns(patch: Record<string, unknown>): Row {
  const map: Record<string, [string, (v: unknown) => unknown]> = {
    status: ['status', (v) => v],
    error: ['error', (v) => v],
    duplicateOf: ['duplicate_of', (v) => v],
    jobVersion: ['job_version', (v) => v],
    textChars: ['text_chars', (v) => v],
    candidate: ['candidate', (v) => JSON.stringify(v)],
    analysis: ['analysis', (v) => (v === null ? null : JSON.stringify(v))],
    score: ['score', (v) => v],
    tier: ['tier', (v) => v],
    warnings: ['warnings', (v) => JSON.stringify(v)],
  };
  const out: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    const entry = map[key];
    if (entry && value !== undefined) out[entry[0]] = entry[1](value);
  }
  return out;
}

export function toEmail(r: Row): EmailMessage {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    resumeId: str(r.resume_id),
    jobId: str(r.job_id),
    kind: r.kind as EmailMessage['kind'],
    priority: Number(r.priority),
    to: str(r.recipient),
    subject: str(r.subject),
    text: str(r.text_body),
    html: strOrNull(r.html_body),
    status: r.status as EmailMessage['status'],
    attempts: Number(r.attempts),
    lastError: strOrNull(r.last_error),
    messageId: strOrNull(r.message_id),
    idempotencyKey: str(r.idempotency_key),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
    sentAt: strOrNull(r.sent_at),
    fromName: strOrNull(r.from_name),
    replyTo: strOrNull(r.reply_to),
    handedOffAt: strOrNull(r.handed_off_at),
    unsubscribeUrl: strOrNull(r.unsubscribe_url),
  };
}

export function toCompany(r: Row): CompanyProfile {
  return {
    userId: str(r.user_id),
    name: str(r.name),
    signature: str(r.signature),
    replyTo: strOrNull(r.reply_to),
    schedulingLink: strOrNull(r.scheduling_link),
    updatedAt: str(r.updated_at),
  };
}

export function toOptOut(r: Row): EmailOptOut {
  return {
    userId: str(r.user_id),
    address: str(r.address),
    reason: strOrNull(r.reason),
    createdAt: str(r.created_at),
  };
}

export function toAudit(r: Row): AuditRecord {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    action: r.action as AuditRecord['action'],
    actor: { type: r.actor_type as AuditRecord['actor']['type'], keyId: strOrNull(r.actor_key_id) },
    targetId: strOrNull(r.target_id),
    subjectIds: json<string[]>(r.subject_ids),
    counts: json<AuditRecord['counts']>(r.counts),
    retentionDays: r.retention_days === null ? null : Number(r.retention_days),
    createdAt: str(r.created_at),
  };
}

export function emailPatchColumns(patch: Record<string, unknown>): Row {
  const map: Record<string, string> = {
    to: 'recipient',
    unsubscribeUrl: 'unsubscribe_url',
    status: 'status',
    attempts: 'attempts',
    lastError: 'last_error',
    messageId: 'message_id',
    sentAt: 'sent_at',
    subject: 'subject',
    text: 'text_body',
    html: 'html_body',
    handedOffAt: 'handed_off_at',
  };
  const out: Row = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = map[key];
    if (column && value !== undefined) out[column] = value;
  }
  return out;
}
