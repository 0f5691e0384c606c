/**
 * Which optional endpoints this gateway serves, read from its OpenAPI document. Older gateways
 * without `/openapi.json` get the baseline API, and the UI falls back (polling, derived stats).
 */
export interface Capabilities {
  batchEvents: boolean;
  resumeFile: boolean;
  resumeText: boolean;
  jobStats: boolean;
  tenantStats: boolean;
  emails: boolean;
  emailPreview: boolean;
  cancelEmails: boolean;
  queues: boolean;
  cacheStats: boolean;
  csvExport: boolean;
  me: boolean;
}

export const BASELINE: Capabilities = {
  batchEvents: false,
  resumeFile: false,
  resumeText: false,
  jobStats: false,
  tenantStats: false,
  emails: false,
  emailPreview: false,
  cancelEmails: false,
  queues: false,
  cacheStats: false,
  csvExport: false,
  me: false,
};

/** `/v1/jobs/{jobId}/resumes` and `/v1/jobs/:id/resumes` both become `/v1/jobs/*\/resumes`. */
export function normalisePath(path: string): string {
  return path.replace(/\{[^}]+\}|:[A-Za-z_]+/g, '*');
}

/** Maps the document's path list to capabilities. */
export function capabilitiesFromPaths(paths: string[]): Capabilities {
  const set = new Set(paths.map(normalisePath));
  const has = (p: string) => set.has(p);
  return {
    batchEvents: has('/v1/batches/*/events'),
    resumeFile: has('/v1/resumes/*/file'),
    resumeText: has('/v1/resumes/*/text'),
    jobStats: has('/v1/jobs/*/stats'),
    tenantStats: has('/v1/stats'),
    emails: has('/v1/emails'),
    emailPreview: has('/v1/emails/preview'),
    cancelEmails: has('/v1/emails/cancel') && has('/v1/emails/*'),
    queues: has('/v1/queues'),
    cacheStats: has('/v1/cache/stats'),
    csvExport: has('/v1/jobs/*/resumes.csv') || has('/v1/jobs/*/export'),
    me: has('/v1/me'),
  };
}

/**
 * Reads the OpenAPI document; a gateway without one gets the baseline plus what `probe` confirms
 * (an authenticated GET that answers 200 when the endpoint exists).
 */
export async function loadCapabilities(
  probe: (path: string) => Promise<boolean>,
  baseUrl = '',
): Promise<Capabilities> {
  try {
    const response = await fetch(`${baseUrl}/openapi.json`, {
      headers: { accept: 'application/json' },
    });
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const doc = (await response.json()) as { paths?: Record<string, unknown> };
      if (doc.paths) return capabilitiesFromPaths(Object.keys(doc.paths));
    }
  } catch {
    /* fall through to probing */
  }
  const emails = await probe('/v1/emails?limit=1').catch(() => false);
  return { ...BASELINE, emails, emailPreview: emails };
}
