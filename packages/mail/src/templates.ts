import Mustache from 'mustache';
import type { EmailKind } from '@shortlist/contracts';

// Templates come from users; parsing them is cheap and an unbounded cache would only grow.
Mustache.templateCache = undefined;

/** Variables a template may use, e.g. `{{candidateName}}` or `{{#schedulingLink}}...{{/schedulingLink}}`. */
export const TEMPLATE_VARIABLES = [
  'candidateName',
  'candidateFirstName',
  'jobTitle',
  'companyName',
  'recruiterSignature',
  'schedulingLink',
  'rejectionReason',
  'personalNote',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Values for one message; null renders sections (`{{#x}}`) as absent. */
export type TemplateValues = Record<TemplateVariable, string | null>;

/** A subject line and a plain-text body, both Mustache templates. HTML is derived from the text. */
export interface EmailTemplate {
  subject: string;
  body: string;
}

/** Preset rejection reasons a recruiter can pick instead of writing one. */
export const REJECTION_REASONS: Record<string, string> = {
  position_filled: 'The position has now been filled.',
  experience: 'We are looking for someone with more experience in the areas this role needs.',
  skills: "Other candidates' skills matched the requirements of this role more closely.",
  requirements: 'Your application did not meet one or more of the required criteria for this role.',
};

/** The built-in invitation and rejection templates; custom messages bring their own. */
export const DEFAULT_TEMPLATES: Record<Exclude<EmailKind, 'custom'>, EmailTemplate> = {
  invite: {
    subject: 'Interview invitation: {{jobTitle}} at {{companyName}}',
    body: `Dear {{candidateName}},

Thank you for applying for the {{jobTitle}} position at {{companyName}}. We enjoyed reading your application and would like to invite you to an interview.
{{#personalNote}}

{{personalNote}}
{{/personalNote}}

{{#schedulingLink}}
Please choose a time that suits you here: {{schedulingLink}}
{{/schedulingLink}}
{{^schedulingLink}}
Please reply to this email with a few times that suit you over the next two weeks.
{{/schedulingLink}}

We look forward to speaking with you.

{{recruiterSignature}}
`,
  },
  reject: {
    subject: 'Your application for {{jobTitle}} at {{companyName}}',
    body: `Dear {{candidateName}},

Thank you for your interest in the {{jobTitle}} position at {{companyName}} and for the time you put into your application.
{{#personalNote}}

{{personalNote}}
{{/personalNote}}

After careful consideration, we have decided not to move forward with your application.
{{#rejectionReason}}
{{rejectionReason}}
{{/rejectionReason}}

We will keep your details on file and wish you every success in your search.

{{recruiterSignature}}
`,
  },
};

const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

/** The variable names a template refers to (tags, sections and inverted sections). */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[]) => {
    for (const token of tokens as [string, string, number, number, unknown[]?][]) {
      const [type, value, , , children] = token;
      if (type === 'name' || type === '&' || type === '#' || type === '^' || type === '>')
        names.add(value);
      if (Array.isArray(children)) walk(children);
    }
  };
  walk(Mustache.parse(template) as unknown[]);
  return [...names];
}

export interface TemplateProblem {
  field: 'subject' | 'body';
  message: string;
}

/**
 * Checks a template before anything is queued: it must parse, and may only use
 * {@link TEMPLATE_VARIABLES}. Returns the problems, each naming the offending field and variables.
 */
export function checkTemplate(template: EmailTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of ['subject', 'body'] as const) {
    let names: string[];
    try {
      names = templateVariables(template[field]);
    } catch (error) {
      problems.push({
        field,
        message: `the template does not parse: ${error instanceof Error ? error.message : String(error)}`,
      });
      continue;
    }
    const unknown = names.filter((n) => !KNOWN.has(n));
    if (unknown.length > 0) {
      problems.push({
        field,
        message: `unknown template variable${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${TEMPLATE_VARIABLES.join(', ')})`,
      });
    }
  }
  return problems;
}
