/**
 * Finds web links in a message so the bubble can make them clickable. Only `http:` and `https:`
 * count (never `javascript:` or `data:`), a trailing full stop or bracket stays text, and nothing is
 * ever fetched: a preview would tell the linked site that this conversation exists.
 */

export type TextPart = { text: string; href?: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence far more often than it ends an address.
const TRAILING = /[.,;:!?)\]}'"»”’]+$/;

/** The text cut into plain runs and links; joined back together it is the text unchanged. */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate)?.[0] ?? "";
    // "(see https://example.org/a_(b))" keeps its balanced closing bracket.
    candidate = candidate.slice(0, candidate.length - trailing.length);
    const opened = (candidate.match(/\(/g) ?? []).length - (candidate.match(/\)/g) ?? []).length;
    if (opened > 0 && trailing.startsWith(")")) candidate += ")";
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue;
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) continue;
    const start = match.index!;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: candidate, href: url.href });
    last = start + candidate.length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last) });
  return parts;
}
