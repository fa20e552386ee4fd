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

/** Keeps untrusted text inside its delimiters: a closing tag in it cannot end the block. */
export function fence(text: string, tag: string): string {
  return text.replace(new RegExp(`<(/?)\\s*${tag}\\s*>`, 'gi'), '‹$1' + tag + '›');
}
