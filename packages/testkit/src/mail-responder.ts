import type { ChatBody, Responder } from './openai-server';

const between = (text: string, tag: string): string | null =>
  new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text)?.[1]?.trim() ?? null;

/** What the fake model answers to the email prompts; each part may be replaced by a test. */
export interface MailResponderOptions {
  /** The `personal_note` answer for the matched criteria. */
  sentence?: (criteria: string[]) => string;
  /** The `company_info` answer for a job description. */
  company?: (description: string) => {
    companyName: string | null;
    contactName: string | null;
    contactEmail: string | null;
  };
}

/**
 * A responder for the email helpers' prompts: a personal sentence naming the matched criteria
 * (from `<matched_criteria>`), and company info for a `<job_description>` (nothing by default).
 * Other requests get `fallback`'s answer.
 */
export function mailResponder(options: MailResponderOptions = {}, fallback?: Responder): Responder {
  return (body: ChatBody) => {
    const prompt = body.messages
      .map((m) =>
        typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join(''),
      )
      .join('\n');
    const criteria = between(prompt, 'matched_criteria');
    if (criteria !== null) {
      const names = JSON.parse(criteria) as string[];
      return {
        sentence: (
          options.sentence ??
          ((c) => `Your work with ${c.join(' and ')} is a close match for this role.`)
        )(names),
      };
    }
    const description = between(prompt, 'job_description');
    if (description !== null)
      return (
        options.company?.(description) ?? {
          companyName: null,
          contactName: null,
          contactEmail: null,
        }
      );
    return fallback ? fallback(body) : 'OK';
  };
}
