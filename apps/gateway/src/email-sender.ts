import type { CompanyProfile } from '@shortlist/contracts';
import type { CompanyInfo } from '@shortlist/mail';

/**
 * The sender details of one job's emails. What the tenant set in `/v1/email-settings` wins field by
 * field; what it left unset (no settings, an empty signature, no reply-to) comes from the job
 * description when something usable was found there, else from the account name.
 */
export function senderProfile(
  tenant: { userId: string; stored: CompanyProfile | null; accountName: string | null },
  fromJob: CompanyInfo,
  at: string,
): CompanyProfile {
  const { stored } = tenant;
  const name = stored?.name ?? fromJob.name ?? tenant.accountName ?? 'Our team';
  const signature =
    stored?.signature ||
    (fromJob.contactName
      ? `Kind regards,\n${fromJob.contactName}\n${name}`
      : `Kind regards,\n${name}`);
  return {
    userId: tenant.userId,
    name,
    signature,
    replyTo: stored?.replyTo ?? fromJob.replyTo,
    schedulingLink: stored?.schedulingLink ?? null,
    updatedAt: stored?.updatedAt ?? at,
  };
}
