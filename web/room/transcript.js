// @ts-check
// The transcript: the interview as it happened. It changes by appending what is new and replacing
// what changed, never by rebuilding: the nodes already on the page stay, so the live region
// (role=log) announces only the new messages, and an open reference answer stays open.
import { deliveryLine } from '../feedback.js';
import { h, markdown } from '../dom.js';

/** @typedef {import('../api.js').Message} Message */
/**
 * One thing the transcript shows. `key` names it from one render to the next; `sig` changes when
 * what it shows does. A stored answer carries its `message`, to take the place of its draft.
 * @typedef {{ key: string, sig: string, render: () => HTMLElement, message?: Message }} Entry
 */

const KIND_LABEL = {
  opening: 'Interviewer',
  question: 'Interviewer',
  followup: 'Interviewer · follow-up',
  closing: 'Interviewer',
  answer: 'You',
  skip: 'You',
};

/** @param {string} iso */
const timeEl = (iso) => h('time', { datetime: iso, text: new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) });

/** @param {NonNullable<Message['spoken']>} spoken */
function spokenEl(spoken) {
  return h(
    'div.spoken',
    { dataset: { testid: 'spoken' } },
    h('span.tag', { text: spoken.source === 'browser' ? 'spoken · browser recognition' : 'spoken' }),
    ' ',
    deliveryLine(spoken.delivery),
    spoken.audioUrl ? h('audio', { controls: true, preload: 'none', src: spoken.audioUrl, 'aria-label': 'Your recording' }) : null,
  );
}

/** @param {Pick<Message, 'role' | 'kind' | 'content' | 'createdAt'> & Partial<Pick<Message, 'id' | 'spoken'>>} m */
export function messageEl(m) {
  const mine = m.role === 'candidate';
  const body = mine
    ? h('div.text', { text: m.content }) // the candidate's words, shown exactly as typed
    : markdown(m.content);
  return h(
    'article.msg.' + (mine ? 'me' : 'them'),
    { dataset: { kind: m.kind, id: m.id } },
    h('div.who', {}, KIND_LABEL[m.kind] ?? m.role, timeEl(m.createdAt)),
    body,
    m.spoken ? spokenEl(m.spoken) : null,
  );
}

/**
 * A key met twice names two things (a question asked twice, say): the second is told apart, not lost.
 * @param {Entry[]} entries
 */
function distinct(entries) {
  const seen = new Map();
  return entries.map((e) => {
    const n = seen.get(e.key) ?? 0;
    seen.set(e.key, n + 1);
    return n ? { ...e, key: `${e.key}#${n}` } : e;
  });
}

export function createTranscript() {
  const el = h('div.transcript', {
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions text',
    'aria-labelledby': 'room-title',
  });
  /** @type {Map<string, { node: HTMLElement, sig: string }>} */
  const shown = new Map();
  /** The answer as sent, until the session says how it was stored. @type {{ node: HTMLElement, text: string } | null} */
  let draft = null;
  /** @type {HTMLElement | null} */
  let streaming = null;

  /**
   * The draft becomes the stored answer in place, with what only the server knows (its id, its
   * time, the recording it came from): re-adding it would have it announced twice.
   * @param {HTMLElement} node
   * @param {Message} m
   */
  function adopt(node, m) {
    node.dataset.id = String(m.id);
    const time = node.querySelector('time');
    const stored = timeEl(m.createdAt);
    if (time && time.textContent !== stored.textContent) time.replaceWith(stored);
    else time?.setAttribute('datetime', m.createdAt);
    if (m.spoken) node.append(spokenEl(m.spoken));
  }

  return {
    el,

    /**
     * Shows these entries, in this order: new ones are added where they belong, changed ones
     * replaced, gone ones removed; the rest are left alone. The streamed reply and an unclaimed
     * draft make way for what the session stored.
     * @param {Entry[]} entries
     */
    show(entries) {
      entries = distinct(entries);
      streaming?.remove();
      streaming = null;
      const wanted = new Set(entries.map((e) => e.key));
      for (const [key, item] of shown) {
        if (wanted.has(key)) continue;
        item.node.remove();
        shown.delete(key);
      }
      /** @type {HTMLElement | null} */
      let previous = null;
      for (const entry of entries) {
        let item = shown.get(entry.key);
        const m = entry.message;
        if (!item && draft && m?.role === 'candidate' && m.content === draft.text) {
          adopt(draft.node, m);
          item = { node: draft.node, sig: entry.sig };
          draft = null;
        } else if (!item || item.sig !== entry.sig) {
          const node = entry.render();
          item?.node.replaceWith(node);
          item = { node, sig: entry.sig };
        }
        shown.set(entry.key, item);
        const next = previous ? previous.nextSibling : el.firstChild;
        if (next !== item.node) el.insertBefore(item.node, next);
        previous = item.node;
      }
      draft?.node.remove();
      draft = null;
    },

    /**
     * The candidate's answer as sent, shown at once while the server stores it.
     * @param {string} text
     */
    addDraft(text) {
      draft?.node.remove();
      const node = messageEl({ role: 'candidate', kind: 'answer', content: text, createdAt: new Date().toISOString() });
      el.append(node);
      draft = { node, text };
      return {
        remove() {
          node.remove();
          if (draft?.node === node) draft = null;
        },
      };
    },

    /**
     * The interviewer's reply, word by word as it is written. The live region does not announce
     * it (aria-live off): the stored message that takes its place is announced once, whole.
     */
    stream() {
      streaming?.remove();
      const text = h('div.text.streaming');
      const node = h(
        'article.msg.them',
        { dataset: { kind: 'streaming' }, 'aria-live': 'off' },
        h('div.who', { text: 'Interviewer' }),
        text,
      );
      el.append(node);
      streaming = node;
      return {
        /** @param {string} words */
        append(words) {
          text.append(words);
          node.scrollIntoView({ block: 'nearest' });
        },
        remove() {
          node.remove();
          if (streaming === node) streaming = null;
        },
      };
    },
  };
}
