import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROMPTS_DIR = fileURLToPath(new URL('../../prompts', import.meta.url));
const cache = new Map<string, string>();

export function loadPrompt(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(`${PROMPTS_DIR}/${name}`, 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * Fills `{{name}}` placeholders in one pass. Values are inserted as they are and never scanned
 * again, so text from a candidate or a model is never rendered as a template. A placeholder
 * without a value is a programming error.
 */
export function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`prompt placeholder {{${key}}} has no value`);
    return value;
  });
}

/** Untrusted text with every angle bracket replaced: no tag in it can open or close a block of the prompt. */
export function neutralizeTags(text: string): string {
  return text.replace(/</g, '‹').replace(/>/g, '›');
}

/** The mark that stands for every space in the candidate's text ("spotlighting", Hines et al. 2024). */
export const DATAMARK = 'ˆ';

/**
 * Untrusted text as the grader sees it: tags neutralised, and every run of white space replaced
 * by DATAMARK, so the model can tell the candidate's words from the prompt's at every word.
 * (A DATAMARK the candidate typed becomes a space first, so it cannot fake the marking.)
 */
export function datamark(text: string): string {
  return neutralizeTags(text.replaceAll(DATAMARK, ' ').trim()).replace(/\s+/g, DATAMARK);
}

/** A quote a model copied from marked text, back in the candidate's own characters. */
export function unmark(quote: string): string {
  return quote.replaceAll(DATAMARK, ' ').replace(/‹/g, '<').replace(/›/g, '>');
}
