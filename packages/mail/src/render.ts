import Mustache from 'mustache';
import { isHeaderSafe } from './address';
import type { EmailTemplate, TemplateValues } from './templates';

/** A message ready to send: what the preview shows is exactly what is stored and sent. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type RenderResult =
  { ok: true; email: RenderedEmail } | { ok: false; field: string; message: string };

const noEscape = (value: string) => value;

/** Renders one template for many candidates: the template is parsed once, on first use. */
export type EmailRenderer = (values: TemplateValues, options?: { footer?: string }) => RenderResult;

/**
 * A renderer for a checked template (see `checkTemplate`), for a whole bulk request: Mustache
 * parses the subject and body once and keeps the tokens in this renderer only (templates come
 * from users, so nothing is cached process-wide). The text part keeps values verbatim; the HTML
 * part is built from the text with every character escaped, so no value (a candidate name from a
 * resume, a signature) can inject markup. The subject must come out on one line: a line break
 * there would start a new header, so it is refused.
 */
export function emailRenderer(template: EmailTemplate): EmailRenderer {
  const writer = new Mustache.Writer();
  return (values, options = {}) => render(writer, template, values, options);
}

/** {@link emailRenderer} for a single message. */
export function renderEmail(
  template: EmailTemplate,
  values: TemplateValues,
  options: { footer?: string } = {},
): RenderResult {
  return emailRenderer(template)(values, options);
}

function render(
  writer: Mustache.Writer,
  template: EmailTemplate,
  values: TemplateValues,
  options: { footer?: string },
): RenderResult {
  const subject = writer.render(template.subject, values, {}, { escape: noEscape }).trim();
  if (!isHeaderSafe(subject)) {
    return {
      ok: false,
      field: 'subject',
      message: 'the subject contains a line break (CR/LF), which could inject email headers',
    };
  }
  if (subject === '') return { ok: false, field: 'subject', message: 'the subject is empty' };
  if (subject.length > 998)
    return { ok: false, field: 'subject', message: 'the subject is longer than 998 characters' };
  const body = normaliseText(writer.render(template.body, values, {}, { escape: noEscape }));
  if (body.trim() === '') return { ok: false, field: 'body', message: 'the body is empty' };
  // The signature delimiter ("-- ") lets mail clients fold the footer away.
  const text = options.footer ? `${body}\n-- \n${normaliseText(options.footer)}` : body;
  return { ok: true, email: { subject, text, html: textToHtml(subject, text) } };
}

/** CRLF/CR to LF, trailing spaces off, at most one blank line in a row, one final newline. */
function normaliseText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

function linkifyEscaped(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapeHtml(text.slice(last, match.index));
    const url = escapeHtml(match[0]);
    out += `<a href="${url}">${url}</a>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

function textToHtml(subject: string, text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${linkifyEscaped(p).replace(/\n/g, '<br>\n')}</p>`);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #222;">',
    ...paragraphs,
    '</body></html>',
    '',
  ].join('\n');
}
