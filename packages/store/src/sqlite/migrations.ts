/**
 * Schema migrations, applied in order inside one transaction each; `PRAGMA user_version` records
 * how many have run. Append only: never edit a migration that has shipped.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    firebase_uid TEXT UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX api_keys_user ON api_keys(user_id, created_at);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    criteria TEXT NOT NULL,
    criteria_derived INTEGER NOT NULL DEFAULT 0,
    thresholds TEXT NOT NULL,
    blind INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX jobs_user_created ON jobs(user_id, created_at DESC, id);
  CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    total INTEGER NOT NULL,
    queued INTEGER NOT NULL,
    processing INTEGER NOT NULL,
    done INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    duplicate INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX batches_user_job ON batches(user_id, job_id, created_at DESC, id);
  CREATE INDEX batches_user_created ON batches(user_id, created_at DESC, id);
  CREATE TABLE resumes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    duplicate_of TEXT,
    job_version INTEGER NOT NULL,
    text_chars INTEGER,
    candidate TEXT NOT NULL,
    analysis TEXT,
    score REAL,
    tier TEXT,
    warnings TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX resumes_job_score ON resumes(user_id, job_id, coalesce(score, -1) DESC, id);
  CREATE INDEX resumes_job_tier_score ON resumes(user_id, job_id, tier, coalesce(score, -1) DESC, id);
  CREATE INDEX resumes_user_uploaded ON resumes(user_id, uploaded_at DESC, id);
  CREATE INDEX resumes_batch ON resumes(batch_id, status);
  CREATE INDEX resumes_job_sha ON resumes(user_id, job_id, sha256);
  CREATE TABLE emails (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    resume_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    message_id TEXT,
    idempotency_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (user_id, idempotency_key)
  );
  CREATE INDEX emails_user_created ON emails(user_id, created_at DESC, id);
  CREATE INDEX emails_user_job ON emails(user_id, job_id, created_at DESC, id);
  CREATE INDEX emails_resume ON emails(user_id, resume_id);
  `,
  // 2: the uploadedAt order gains the score before the id tie-break (the same order the
  // Firestore adapter uses), and the per-job/per-batch lists get indexes matching their sort.
  `
  DROP INDEX resumes_user_uploaded;
  CREATE INDEX resumes_user_uploaded ON resumes(user_id, uploaded_at DESC, coalesce(score, -1) DESC, id);
  CREATE INDEX resumes_job_uploaded ON resumes(user_id, job_id, uploaded_at DESC, coalesce(score, -1) DESC, id);
  CREATE INDEX resumes_job_status_score ON resumes(user_id, job_id, status, coalesce(score, -1) DESC, id);
  CREATE INDEX resumes_user_batch_score ON resumes(user_id, batch_id, coalesce(score, -1) DESC, id);
  `,
  // 3: email sender details, hand-off marker, company profiles and opt-outs.
  `
  ALTER TABLE emails ADD COLUMN from_name TEXT;
  ALTER TABLE emails ADD COLUMN reply_to TEXT;
  ALTER TABLE emails ADD COLUMN handed_off_at TEXT;
  CREATE INDEX emails_user_status ON emails(user_id, status, created_at DESC, id);
  CREATE TABLE companies (
    user_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    signature TEXT NOT NULL,
    reply_to TEXT,
    scheduling_link TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE email_opt_outs (
    user_id TEXT NOT NULL,
    address TEXT NOT NULL,
    reason TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, address)
  );
  CREATE INDEX email_opt_outs_created ON email_opt_outs(user_id, created_at DESC, address);
  `,
  // 4 (email): the public unsubscribe link of each message.
  `
  ALTER TABLE emails ADD COLUMN unsubscribe_url TEXT;
  `,
  // 5 (security): the audit trail of erasures (ids and counts only).
  `
  CREATE TABLE audit_records (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_key_id TEXT,
    target_id TEXT,
    subject_ids TEXT NOT NULL,
    counts TEXT NOT NULL,
    retention_days INTEGER,
    created_at TEXT NOT NULL
  );
  CREATE INDEX audit_records_user_created ON audit_records(user_id, created_at DESC, id);
  `,
  // 6 (worker): the earlier job whose derived criteria a job reused, kept for later reads.
  `
  ALTER TABLE jobs ADD COLUMN criteria_reused_from TEXT;
  `,
];
