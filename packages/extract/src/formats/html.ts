import { convert } from 'html-to-text';
import { parseDocument } from 'htmlparser2';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import type { Extracted } from '../extracted';
import type { HiddenText } from '../types';

const HIDING_STYLE =
  /display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.\d+)?(?:px|pt|em|rem)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0\d*)?\s*(?:;|$)|color\s*:\s*(?:#fff(?:fff)?|white|rgba?\(\s*255\s*,\s*255\s*,\s*255)\b/i;

const textOf = (node: ChildNode): string =>
  isText(node) ? node.data : 'children' in node ? node.children.map(textOf).join(' ') : '';

/** Elements a browser would not show: hidden attribute or an inline style that hides them. */
function findHidden(nodes: ChildNode[], out: Element[]) {
  for (const node of nodes) {
    if (!isTag(node)) continue;
    const style = node.attribs.style ?? '';
    if ('hidden' in node.attribs || HIDING_STYLE.test(style)) out.push(node);
    else findHidden(node.children, out);
  }
}

/** HTML to plain text: block elements on their own lines, table rows on one line, link targets kept. */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['(', ')'] } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
      { selector: '[hidden]', format: 'skip' },
    ],
  })
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Reads an HTML resume; text hidden by inline styles is reported and left out. */
export function extractHtml(html: string): Extracted {
  const doc = parseDocument(html);
  const hiddenElements: Element[] = [];
  findHidden(doc.children, hiddenElements);
  const hidden: HiddenText[] = [];
  let text = htmlToPlainText(html);
  for (const el of hiddenElements) {
    const snippet = textOf(el).replace(/\s+/g, ' ').trim();
    if (!/[\p{L}\p{N}]{2}/u.test(snippet)) continue;
    hidden.push({ snippet: snippet.slice(0, 300), why: 'hidden-style', page: null });
    text = removeOnce(text, snippet);
  }
  return { verdict: 'ok', text, pages: 1, hidden };
}

/** Removes `snippet` from `text`, matching across any whitespace differences. */
export function removeOnce(text: string, snippet: string): string {
  const words = snippet.split(/\s+/).filter(Boolean);
  if (words.length === 0) return text;
  const pattern = new RegExp(
    words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'),
  );
  return text.replace(pattern, '').replace(/\n[ \t]*\n[ \t]*\n/g, '\n\n');
}
