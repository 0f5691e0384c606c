import { z } from 'zod';
import { EmailKind, EmailStatus, Id } from './domain';
import { PageQuery } from './api';

const HttpUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !/\s/.test(v);
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

/** One recipient of `POST /v1/emails`; `to` and `name` override what the resume says. */
export const EmailRecipient = z.object({
  resumeId: Id,
  to: z.string().max(320).optional(),
  name: z.string().max(200).optional(),
});
export type EmailRecipient = z.infer<typeof EmailRecipient>;

const EmailContent = z.object({
  kind: EmailKind,
  /** Mustache template overriding the built-in subject (required for `custom`). */
  subject: z.string().max(998).optional(),
  /** Mustache template of the plain-text body (required for `custom`); HTML is derived from it. */
  body: z.string().max(20_000).optional(),
  /** `{{schedulingLink}}`; defaults to the company settings' link. */
  schedulingLink: HttpUrl.optional(),
  /** `{{rejectionReason}}`: a preset code (`position_filled`, `experience`, `skills`, `requirements`) or your own sentence. */
  rejectionReason: z.string().trim().max(1_000).optional(),
  /** Adds `{{personalNote}}`, a sentence naming the criteria the candidate matched. */
  personalise: z.boolean().default(false),
});

function customNeedsTemplate(b: { kind: string; subject?: string; body?: string }) {
  return b.kind !== 'custom' || (b.subject !== undefined && b.body !== undefined);
}
const CUSTOM_MESSAGE = { message: 'a custom email needs both subject and body', path: ['body'] };

/** `POST /v1/emails`: queue one email per resume (`resumeIds`) or per recipient (`items`). */
export const QueueEmailsBody = EmailContent.extend({
  resumeIds: z.array(Id).min(1).max(1_000).optional(),
  items: z.array(EmailRecipient).min(1).max(1_000).optional(),
})
  .refine((b) => (b.resumeIds === undefined) !== (b.items === undefined), {
    message: 'send either resumeIds or items (not both)',
    path: ['resumeIds'],
  })
  .refine(customNeedsTemplate, CUSTOM_MESSAGE);
export type QueueEmailsBody = z.infer<typeof QueueEmailsBody>;

/** `POST /v1/emails/preview`: render for one resume without queuing anything. */
export const PreviewEmailBody = EmailContent.extend(EmailRecipient.shape).refine(
  customNeedsTemplate,
  CUSTOM_MESSAGE,
);
export type PreviewEmailBody = z.infer<typeof PreviewEmailBody>;

/** Outcome of one recipient of `POST /v1/emails`. */
export interface QueueEmailResult {
  index: number;
  resumeId: string;
  /** `queued`: new; `existing`: this email (same resume, kind, job version) was already requested; `rejected`: see `error`. */
  outcome: 'queued' | 'existing' | 'rejected';
  emailId?: string;
  status?: EmailStatus;
  error?: { status: number; code: string; field: string; message: string };
}

export const ListEmailsQuery = PageQuery.extend({
  jobId: Id.optional(),
  resumeId: Id.optional(),
  status: EmailStatus.optional(),
});
export type ListEmailsQuery = z.infer<typeof ListEmailsQuery>;

/** `POST /v1/emails/cancel`: cancel these emails, or every queued email of a job. */
export const CancelEmailsBody = z
  .object({ emailIds: z.array(Id).min(1).max(1_000).optional(), jobId: Id.optional() })
  .refine((b) => (b.emailIds === undefined) !== (b.jobId === undefined), {
    message: 'send either emailIds or jobId',
    path: ['emailIds'],
  });

/** `PUT /v1/email-settings`. */
export const CompanyProfileBody = z.object({
  name: z.string().trim().min(1).max(200),
  signature: z.string().trim().max(2_000).default(''),
  replyTo: z.string().trim().max(254).nullable().default(null),
  schedulingLink: HttpUrl.nullable().default(null),
});
export type CompanyProfileBody = z.infer<typeof CompanyProfileBody>;

/** `POST /v1/opt-outs`. */
export const OptOutBody = z.object({
  addresses: z.array(z.string().max(320)).min(1).max(1_000),
  reason: z.string().trim().max(500).optional(),
});
