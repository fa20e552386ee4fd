// @ts-check
// Small DOM helpers. Text always goes in as text: nothing a candidate or a model writes is parsed
// as HTML, except Markdown through markdown(), which DOMPurify sanitizes.
import { marked } from '/vendor/marked.js';
import DOMPurify from '/vendor/purify.js';

marked.setOptions({ gfm: true, breaks: true });

/**
 * The element a tag names: h('input.x') is an HTMLInputElement, h('.x') a div.
 * @template {string} T
 * @typedef {T extends `${infer N}.${string}` ? ElementOf<N> : T extends keyof HTMLElementTagNameMap ? HTMLElementTagNameMap[T] : T extends '' ? HTMLDivElement : HTMLElement} ElementOf
 */

/**
 * h('div.card', { onclick }, child, 'text') — strings become text nodes.
 * @template {string} T
 * @param {T} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...any} children
 * @returns {ElementOf<T>}
 */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Styles go through the CSSOM: the CSP allows no inline style attributes.
    else if (k === 'style') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return /** @type {ElementOf<T>} */ (el);
}

/**
 * What Markdown may become: text structure, code, tables and links, nothing else. No forms,
 * inputs, buttons, styles, images, frames or media, whatever a model or a bank file writes.
 */
const MARKDOWN_TAGS = [
  'p',
  'br',
  'hr',
  'strong',
  'em',
  'b',
  'i',
  'del',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'sup',
  'sub',
  'kbd',
];
const MARKDOWN_ATTRIBUTES = ['href', 'title', 'start', 'colspan', 'rowspan', 'align'];

/** Markdown from the interviewer or the bank, rendered and sanitized. */
export function markdown(text) {
  const el = document.createElement('div');
  el.className = 'md';
  el.innerHTML = DOMPurify.sanitize(marked.parse(String(text ?? ''), { async: false }), {
    ALLOWED_TAGS: MARKDOWN_TAGS,
    ALLOWED_ATTR: MARKDOWN_ATTRIBUTES,
    ALLOW_DATA_ATTR: false,
  });
  for (const a of el.querySelectorAll('a')) {
    a.setAttribute('rel', 'noopener noreferrer');
    a.setAttribute('target', '_blank');
  }
  return el;
}

/** An element index.html always has: without it the page cannot work, and says which one is missing. */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

const WORDS = { behavioral: 'behavioural', system_design: 'system design' };
export const label = (s) => WORDS[s] ?? String(s ?? '').replace(/_/g, ' ');

export function fmtDate(iso) {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtClock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** "1 session", "3 sessions". */
export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
