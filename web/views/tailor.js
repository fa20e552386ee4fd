// @ts-check
// Tailoring on the start screen (paste a job description and a résumé, or read a résumé file into
// the box) and, in the room and the replay, what the tailoring used.
import { api } from '../api.js';
import { h } from '../dom.js';

/**
 * The optional "Tailor to a job" fields. `values()` gives the texts to send (empty ones left out).
 * A file read fills the résumé box; what was typed there before can be brought back; a file that
 * cannot be read leaves the box as it was and says why.
 */
export function tailorFields() {
  const job = h('textarea', {
    id: 'job-description',
    rows: 6,
    placeholder: 'Paste the job description: the loop leans towards the principles and topics it stresses',
  });
  const resume = h('textarea', {
    id: 'resume',
    rows: 8,
    placeholder: 'Paste your résumé, or upload it below: you will be asked about a project on it',
  });
  const file = h('input', {
    type: 'file',
    id: 'resume-file',
    accept: '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    onchange: () => void read(),
  });
  const status = h('p.muted', { role: 'status', 'aria-live': 'polite', dataset: { testid: 'resume-status' } });
  const error = h('p.error', { role: 'alert', hidden: true, dataset: { testid: 'resume-error' } });
  /** What the box held before a file filled it. */
  let before = '';
  const undo = h('button.link', {
    type: 'button',
    hidden: true,
    text: 'Bring back what I had typed',
    onclick: () => {
      resume.value = before;
      undo.hidden = true;
      status.textContent = 'Your own text is back in the résumé box.';
      resume.focus();
    },
  });
  async function read() {
    const chosen = file.files?.[0];
    if (!chosen) return;
    error.hidden = true;
    status.textContent = `Reading ${chosen.name}…`;
    try {
      const got = await api.readResume(chosen);
      before = resume.value;
      resume.value = got.text;
      undo.hidden = !before.trim();
      const what =
        got.format === 'pdf' ? `PDF, ${got.pages} page${got.pages === 1 ? '' : 's'}` : got.format === 'docx' ? 'Word document' : 'text';
      status.textContent = `Read ${got.text.length.toLocaleString()} characters from ${chosen.name} (${what})${got.truncated ? ', cut at the limit' : ''}${got.items.length ? `; projects and roles found: ${got.items.map((i) => i.name).join('; ')}` : ''}. Check and edit it below.`;
      resume.focus();
    } catch (e) {
      status.textContent = '';
      error.textContent = `${chosen.name}: ${e.message}`;
      error.hidden = false;
    } finally {
      file.value = '';
    }
  }
  const fieldset = h(
    'fieldset.tailor',
    {},
    h('legend', { text: 'Tailor to a job (optional)' }),
    h('label', { for: 'job-description' }, 'Job description', job),
    h('label', { for: 'resume' }, 'Résumé', resume),
    h('label', { for: 'resume-file' }, 'Or read your résumé from a file (PDF or DOCX, up to 2 MB): ', file),
    undo,
    status,
    error,
  );
  return {
    fieldset,
    values: () => ({
      ...(job.value.trim() && { jobDescription: job.value }),
      ...(resume.value.trim() && { resume: resume.value }),
    }),
  };
}

/**
 * What a tailored loop used: the principles and topics with the words that showed them, and the
 * résumé items, and the texts themselves, folded; null for a loop that was not tailored.
 * @param {import('../api.js').Tailoring | null} t
 * @param {{ jobDescription?: string, resume?: string }} texts
 */
export function tailoringSummary(t, texts) {
  if (!t) return null;
  /** @param {string} title @param {string | undefined} text */
  const shown = (title, text) => (text ? h('details', {}, h('summary', { text: title }), h('pre.tailor-text', { text })) : null);
  /** @param {Array<{ id: string, weight: number, matched: string[] }>} xs */
  const weighted = (xs) => xs.map((x) => h('li', {}, h('strong', { text: x.id }), x.matched.length ? ` — ${x.matched.join(', ')}` : ''));
  return h(
    'details.tailoring',
    { dataset: { testid: 'tailoring' } },
    h('summary', {
      text: `Tailored to your job and résumé (${t.source === 'model' ? 'read by the model' : 'read offline, by matching words'})`,
    }),
    t.note ? h('p.muted', { text: t.note }) : null,
    t.principles.length
      ? [h('p', { text: 'Principles the job stresses, and its words that showed them:' }), h('ul', {}, weighted(t.principles))]
      : null,
    t.topics.length ? [h('p', { text: 'Topics the job stresses:' }), h('ul', {}, weighted(t.topics))] : null,
    t.resumeItems.length
      ? [
          h('p', { text: 'From your résumé (the first is asked about):' }),
          h(
            'ul',
            {},
            t.resumeItems.map((i) => h('li', {}, h('strong', { text: i.name }), ` (${i.section}): ${i.claims.join(' · ')}`)),
          ),
        ]
      : null,
    shown('The job description', texts.jobDescription),
    shown('The résumé', texts.resume),
  );
}
