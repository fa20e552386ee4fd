import { contentStems, memoize, plainText, sentences } from './text.js';

/**
 * What a reference answer claims: the sentences and list items a candidate could say in words.
 * Not claims: code and what introduces it ("Code to create a table with a composite key:"),
 * headings, a table's header row, link lists and "see also" furniture. Key points and the
 * reference's words for matching are taken from the claims only.
 */

/** A verb that makes a sentence a statement: a caption ending in ":" with one of these is still a claim. */
const STATEMENT_VERB =
  /\b(is|are|was|were|has|have|had|can|could|will|would|should|must|may|does|do|did|uses|used|allows|lets|ensures|provides|supports|enables|means|makes|keeps|stores|runs|handles|replicates|writes|reads|returns|sends|helps|requires|gives|becomes|applied|configured|protects|prevents|reduces|improves|increases|relies|routes|scales|splits|guarantees)\b/i;
/** A caption however it is worded: it points at what follows. */
const POINTS_AT = /\b(as follows|the following|look(s)? like this|like so|below|here is|here's|for example|for instance|e\.g\.)\s*:?\s*$/i;
const CAPTION_START =
  /^\s*(code|sample|example|snippet|listing|figure|table|diagram|template|python|java|json|yaml|shell|terraform|cli)\b/i;
const LINK = /https?:\/\/\S+|\[[^\]]*\]\([^)]*\)|\bwww\.\S+/gi;
const FURNITURE = /^\s*(related|see also|references?|further reading|sources?|links?|read more)\s*(:|$)/i;

/**
 * A sentence ending in ":" that introduces what follows. Before code or a table (`strict`) it is a
 * caption unless it states something; elsewhere (before a list) only when it is worded as one or
 * too slight to be a claim ("Benefits include:").
 */
function isCaption(text: string, strict: boolean): boolean {
  const t = text.trim();
  if (!t.endsWith(':')) return false;
  if (POINTS_AT.test(t) || CAPTION_START.test(t)) return true;
  if (STATEMENT_VERB.test(t)) return false;
  return strict || contentStems(t).length < 4;
}

/**
 * A heading: a Markdown heading or a bold line, or a short line with no sentence ending and no
 * statement verb that has more text after it (a one-line reference is never a heading).
 */
function isHeading(line: string, more: boolean): boolean {
  const t = line.trim();
  if (/^#{1,6}\s/.test(t)) return true;
  if (/^(\*\*|__)[^*_]+(\*\*|__):?$/.test(t)) return true;
  if (!more || /^[-*•]\s|^\d+[.)]\s/.test(t)) return false;
  return t.split(/\s+/).length <= 6 && !/[.!?]["”’)]?$/.test(t) && !STATEMENT_VERB.test(t) && !/[,;]/.test(t);
}

/** A line of code that lost its fence: a statement, an assignment, a call, a bracket. */
function looksLikeCode(line: string): boolean {
  const t = line.trim();
  if (/^(import|from|def|class|return|const|let|var|function|try|except|catch|raise|throw|else|elif|#include|\$ |aws |npm |pip )\b/.test(t))
    return true;
  if (/^[{}[\]()]+,?;?$/.test(t) || /[{(,[]$/.test(t)) return true;
  const codeChars = (t.match(/[=(){}[\];'"_<>]/g) ?? []).length;
  const words = t.split(/\s+/).filter((w) => /^[A-Za-z][a-z]+[,.]?$/.test(w)).length;
  return codeChars >= 3 && words < 4;
}

const isLinkLine = (line: string) =>
  new RegExp(LINK.source, 'i').test(line) &&
  line
    .replace(LINK, ' ')
    .replace(/[-*•|:,;()[\]]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean).length < 4;

/** The reference answer's claims, in order, as plain text. */
export const claims = memoize((reference: string): string[] => {
  // Code blocks go first, each with the line that introduces it.
  const lines = reference.split('\n');
  const kept: string[] = [];
  let inCode = false;
  let inTable = false;
  let furniture = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      if (!inCode) dropCaption(kept);
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    if (/^\s*\|/.test(line)) {
      // A table: its header row and separator are not claims; the caption before it is not either.
      if (!inTable) {
        dropCaption(kept);
        inTable = true;
        continue;
      }
      if (/^\s*\|[\s:|-]*\|?\s*$/.test(line)) continue;
      kept.push(line.replace(/\|/g, ' ').replace(/\s+/g, ' ').trim() + '.');
      continue;
    }
    inTable = false;
    if (!line.trim()) {
      furniture = false;
      kept.push('');
      continue;
    }
    if (FURNITURE.test(line)) {
      furniture = true;
      continue;
    }
    if (furniture && (isLinkLine(line) || /^\s*[-*•]\s/.test(line))) continue;
    furniture = false;
    if (isLinkLine(line) || looksLikeCode(line)) continue;
    if (
      isHeading(
        line,
        lines.slice(i + 1).some((l) => l.trim() !== ''),
      )
    )
      continue;
    kept.push(line.replace(LINK, ' '));
  }
  const text = plainText(kept.join('\n'));
  return sentences(text)
    .map((s) => s.text)
    .filter((s) => !isCaption(s, false) && !FURNITURE.test(s))
    .map((s) => s.replace(/[:;,]$/, ''));
});

/** The last line kept, when it introduces what follows (code or a table), is a caption: dropped. */
function dropCaption(kept: string[]) {
  let k = kept.length - 1;
  while (k >= 0 && !kept[k]!.trim()) k--;
  if (k < 0) return;
  const last = sentences(plainText(kept[k]!)).at(-1)?.text ?? '';
  if (isCaption(last, true)) {
    const line = kept[k]!;
    const cut = line.lastIndexOf(last.trim().slice(0, 20));
    kept[k] = cut > 0 ? line.slice(0, cut) : '';
  }
}

/** The claims as one text: the reference's words for matching. */
export const claimText = memoize((reference: string) => claims(reference).join('\n'));
