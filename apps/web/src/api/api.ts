import {
  ApiError,
  HttpClient,
  NETWORK_ERROR_MESSAGE,
  errorFromResponse,
  type ClientOptions,
} from './client';
import type {
  Batch,
  Criterion,
  EmailContent,
  EmailMessage,
  EmailPreview,
  EmailRecipient,
  Job,
  ApiStats,
  Page,
  QueueEmailsResponse,
  Resume,
  ResumeQuery,
  TierThresholds,
  UploadResult,
} from './types';

export interface JobInput {
  title: string;
  description: string;
  criteria?: Criterion[];
  thresholds?: TierThresholds;
  blind?: boolean;
}

/** Every call the web app makes to the public API, in one place. */
export class ShortlistApi {
  readonly http: HttpClient;

  constructor(options: ClientOptions) {
    this.http = new HttpClient(options);
  }

  listJobs(cursor?: string): Promise<Page<Job>> {
    return this.http.get('/v1/jobs', { cursor, limit: 100 });
  }
  getJob(id: string, signal?: AbortSignal): Promise<Job> {
    return this.http.get(`/v1/jobs/${encodeURIComponent(id)}`, undefined, signal);
  }
  createJob(input: JobInput): Promise<Job> {
    return this.http.json('/v1/jobs', { method: 'POST', json: input });
  }
  updateJob(id: string, patch: Partial<JobInput>): Promise<Job> {
    return this.http.json(`/v1/jobs/${encodeURIComponent(id)}`, { method: 'PATCH', json: patch });
  }
  deleteJob(id: string): Promise<void> {
    return this.http.json(`/v1/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  listBatches(jobId: string, signal?: AbortSignal): Promise<Page<Batch>> {
    return this.http.get(`/v1/jobs/${encodeURIComponent(jobId)}/batches`, { limit: 200 }, signal);
  }
  getBatch(id: string, signal?: AbortSignal): Promise<Batch> {
    return this.http.get(`/v1/batches/${encodeURIComponent(id)}`, undefined, signal);
  }

  listResumes(jobId: string, query: ResumeQuery, signal?: AbortSignal): Promise<Page<Resume>> {
    return this.http.get(`/v1/jobs/${encodeURIComponent(jobId)}/resumes`, { ...query }, signal);
  }
  getResume(id: string, signal?: AbortSignal): Promise<Resume> {
    return this.http.get(`/v1/resumes/${encodeURIComponent(id)}`, undefined, signal);
  }
  /** The original upload as a Blob (PDF, DOCX or text). */
  async getResumeFile(id: string, signal?: AbortSignal): Promise<Blob> {
    const response = await this.http.fetch(
      `/v1/resumes/${encodeURIComponent(id)}/file`,
      signal ? { signal } : {},
    );
    return response.blob();
  }
  /** The text the scorer read (what the evidence quotes come from). */
  async getResumeText(id: string, signal?: AbortSignal): Promise<string> {
    const response = await this.http.fetch(
      `/v1/resumes/${encodeURIComponent(id)}/text`,
      signal ? { signal } : {},
    );
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) {
      const body = (await response.json()) as { text?: unknown };
      return typeof body.text === 'string' ? body.text : '';
    }
    return response.text();
  }

  getJobStats(jobId: string, signal?: AbortSignal): Promise<ApiStats> {
    return this.http.get(`/v1/jobs/${encodeURIComponent(jobId)}/stats`, undefined, signal);
  }
  getTenantStats(signal?: AbortSignal): Promise<ApiStats> {
    return this.http.get('/v1/stats', undefined, signal);
  }
  getQueues(signal?: AbortSignal): Promise<unknown> {
    return this.http.get('/v1/queues', undefined, signal);
  }
  getCacheStats(signal?: AbortSignal): Promise<unknown> {
    return this.http.get('/v1/cache/stats', undefined, signal);
  }

  /** Queues one email per recipient; each recipient gets its own outcome. */
  sendEmails(input: EmailContent & { items: EmailRecipient[] }): Promise<QueueEmailsResponse> {
    return this.http.json('/v1/emails', { method: 'POST', json: input });
  }
  previewEmail(input: EmailContent & EmailRecipient, signal?: AbortSignal): Promise<EmailPreview> {
    return this.http.json('/v1/emails/preview', {
      method: 'POST',
      json: input,
      ...(signal ? { signal } : {}),
    });
  }
  /**
   * Cancels one queued email, and returns it as it is now. An email that started sending a moment
   * ago cannot be cancelled: an expected outcome, not a failure, so this asks through the bulk
   * route, which answers 200 either way (the single route's 409 would also be logged by the
   * browser as a console error).
   */
  async cancelEmail(emailId: string): Promise<{ cancelled: boolean; email: EmailMessage | null }> {
    const result = await this.http.json<{ cancelled: number; notCancelled: number }>(
      '/v1/emails/cancel',
      { method: 'POST', json: { emailIds: [emailId] } },
    );
    const email = await this.getEmail(emailId).catch(() => null);
    return { cancelled: result.cancelled === 1, email };
  }
  getEmail(emailId: string, signal?: AbortSignal): Promise<EmailMessage> {
    return this.http.get(`/v1/emails/${encodeURIComponent(emailId)}`, undefined, signal);
  }
  /** Cancels every email of a job that is still queued. */
  cancelQueuedEmails(jobId: string): Promise<{ cancelled: number; notCancelled: number }> {
    return this.http.json('/v1/emails/cancel', { method: 'POST', json: { jobId } });
  }
  listJobEmails(jobId: string, signal?: AbortSignal): Promise<Page<EmailMessage>> {
    return this.http.get(`/v1/jobs/${encodeURIComponent(jobId)}/emails`, { limit: 200 }, signal);
  }

  /** Uploads files as one multipart batch with byte-level progress (fetch cannot report it). */
  uploadFiles(
    jobId: string,
    files: File[],
    onProgress: (loadedBytes: number, totalBytes: number) => void,
    signal?: AbortSignal,
  ): Promise<UploadResult> {
    return uploadWithProgress(this.http, jobId, files, onProgress, signal);
  }
}

async function uploadWithProgress(
  http: HttpClient,
  jobId: string,
  files: File[],
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  const headers = await http.authHeaders();
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return new Promise<UploadResult>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', http.url(`/v1/jobs/${encodeURIComponent(jobId)}/batches`));
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', NETWORK_ERROR_MESSAGE));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.onload = () => {
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, {
        status: xhr.status,
        headers: {
          'content-type': xhr.getResponseHeader('content-type') ?? '',
          'retry-after': xhr.getResponseHeader('retry-after') ?? '',
        },
      });
      if (xhr.status >= 200 && xhr.status < 300) {
        response.json().then((body) => resolve(body as UploadResult), reject);
      } else {
        void errorFromResponse(response).then(reject);
      }
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
