import type { CodingView } from './coding-view.js';
import { FLAG_LABEL } from '../grading/grade.js';
import { levelName } from '../grading/levels.js';
import { type InterviewFeedback, VOTE_LABEL } from './feedback.js';
import type { Meeting } from './meeting.js';
import { clock, type Delivery, type DeliverySummary } from '../voice/delivery.js';
import type { Store } from '../db/store.js';
import type { Session } from './schemas.js';
import type { Story, StoryBank } from './stories.js';

/** One spoken answer's delivery, as a Markdown paragraph with what to work on. */
function deliveryMarkdown(d: Delivery): string[] {
  const fillers = d.fillers.counts.map((c) => `${c.filler} ${c.count}`).join(', ');
  const facts = [
    `${clock(d.speakingSeconds)} of a ${clock(d.timeBoxSeconds)} time box`,
    `${d.wordsPerMinute} words a minute`,
    d.fillers.total ? `${d.fillers.total} fillers (${fillers})` : 'no fillers',
    d.pauses ? `${d.pauses.long} long pause${d.pauses.long === 1 ? '' : 's'}` : null,
    d.star ? `situation and task ${Math.round(d.star.situationShare * 100)}% of the time` : null,
  ].filter(Boolean);
  return [
    `*Spoken (${d.source === 'server' ? 'transcribed here' : 'browser recognition'}): ${facts.join(', ')}.*`,
    ...d.notes.map((n) => `- ${n}`),
    '',
  ];
}

function summaryMarkdown(s: DeliverySummary): string {
  return `Delivery: ${s.spokenAnswers} spoken answer${s.spokenAnswers === 1 ? '' : 's'}, ${clock(s.speakingSeconds)} in all, ${s.wordsPerMinute ?? '–'} words a minute, ${s.fillersPerMinute ?? '–'} fillers a minute, ${s.longPauses} long pauses, ${s.overTimeBox} over the time box.`;
}

/** The session for a JSON export: kept recordings travel inside it, as data: URLs, so the file stands alone. */
export async function withAudio(session: Session, store: Store): Promise<Session> {
  const messages = await Promise.all(
    session.messages.map(async (m) => {
      if (!m.spoken?.audioUrl) return m;
      const kept = await store.recordingAudio(m.spoken.id);
      return kept ? { ...m, spoken: { ...m.spoken, audioData: `data:${kept.audioType};base64,${kept.audio.toString('base64')}` } } : m;
    }),
  );
  return { ...session, messages };
}

const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

/** An interviewer's written feedback: the vote, each owned principle rated, the concerns. */
function feedbackMarkdown(f: InterviewFeedback): string[] {
  return [
    `### ${f.interviewer.name}'s feedback: ${VOTE_LABEL[f.vote]}`,
    '',
    f.summary,
    '',
    ...f.principles.map(
      (p) => `- ${p.name}: ${p.rating === null ? 'not answered' : `${p.rating}/5`}${p.evidence.length ? ` — “${p.evidence[0]}”` : ''}`,
    ),
    ...(f.concerns.length ? ['', 'Concerns:', ...f.concerns.map((c) => `- ${c}`)] : []),
    '',
  ];
}

const DECISION_WORDS: Record<Meeting['decision']['outcome'], string> = {
  hire: 'Hire',
  hire_one_level_down: 'Hire one level down',
  no_hire: 'No hire',
  insufficient_evidence: 'Insufficient evidence',
};

/** The debrief meeting: the decision at the level, what decided it, the votes side by side, the Bar Raiser. */
function meetingMarkdown(m: Meeting): string[] {
  const d = m.decision;
  return [
    `## Debrief meeting (${levelName(m.level)})`,
    '',
    `**${DECISION_WORDS[d.outcome]}${d.level ? ` at ${levelName(d.level)}` : ''}.** ${d.summary}`,
    '',
    ...(d.decidedBy.length ? ['Decided by:', ...d.decidedBy.map((x) => `- “${x.prompt}” — ${x.why}`), ''] : []),
    ...(d.wouldChange ? [`What would change it: ${d.wouldChange}`, ''] : []),
    '| interviewer | owned | vote |',
    '|---|---|---|',
    ...m.feedback.map(
      (f) =>
        `| ${f.interviewer.name}${f.interviewer.barRaiser ? ' (Bar Raiser)' : ''} | ${f.principles.map((p) => `${p.name} ${p.rating ?? '–'}/5`).join(', ')} | ${VOTE_LABEL[f.vote]} |`,
    ),
    '',
    ...(m.barRaiser ? [`The Bar Raiser, ${m.barRaiser.name}: ${m.barRaiser.assessment}`, ''] : []),
    ...m.retold.map((r) => `Story told twice: questions ${r.earlier.position + 1} and ${r.later.position + 1} (${r.shared.join(', ')}).`),
    '',
  ];
}

/** Stories as Markdown: each with its title, situation, principles, figures and where it was told. */
function storiesMarkdown(stories: Story[], level: string): string[] {
  return stories.flatMap((s) => [
    `${level} ${s.title}`,
    '',
    s.situation,
    '',
    `- Shows: ${s.principles.map((p) => (p.evidence ? `${p.name} (“${p.evidence}”)` : p.name)).join(', ') || 'no principle at a hire score yet'}`,
    ...(s.figures.length ? [`- Figures: ${s.figures.join(', ')}`] : []),
    ...s.told.map((t) => `- Told for “${t.prompt}” (${t.at.slice(0, 10)}): ${t.score === null ? 'not graded' : `${t.score}/100`}`),
    '',
  ]);
}

/** The story bank as a Markdown document: the stories, the Leadership Principles they cover, the gaps. */
export function storyBankMarkdown(bank: StoryBank): string {
  const number = new Map(bank.stories.map((s, i) => [s.id, i + 1]));
  const out = ['# mockloop story bank', '', `${bank.stories.length} stories from your behavioural answers.`, ''];
  out.push('## Leadership Principles', '', '| principle | stories |', '|---|---|');
  for (const c of bank.coverage) out.push(`| ${c.principle} | ${c.stories.map((id) => `#${number.get(id)}`).join(', ') || '–'} |`);
  out.push('');
  if (bank.gaps.length || bank.overUsed.length) out.push('## Gaps', '', ...[...bank.gaps, ...bank.overUsed].map((g) => `- ${g}`), '');
  out.push(
    '## Stories',
    '',
    ...storiesMarkdown(
      bank.stories.map((s) => ({ ...s, title: `#${number.get(s.id)} ${s.title}` })),
      '###',
    ),
  );
  return `${out.join('\n').trim()}\n`;
}

/** What the loop was tailored to: what was read, then the texts themselves (folded). */
function tailoringMarkdown(s: Session): string[] {
  const t = s.tailoring;
  const { jobDescription, resume } = s.request;
  if (!t && !jobDescription && !resume) return [];
  const weighted = (xs: Array<{ id: string; weight: number; matched: string[] }>) =>
    xs.map((x) => `${x.id} (${x.weight}${x.matched.length ? `: ${x.matched.join(', ')}` : ''})`).join('; ');
  return [
    `## Tailored to the job and the résumé (${t?.source === 'model' ? 'read by the model' : 'read offline'})`,
    '',
    ...(t?.note ? [t.note, ''] : []),
    ...(t?.principles.length ? [`- Principles the job stresses: ${weighted(t.principles)}`] : []),
    ...(t?.topics.length ? [`- Topics the job stresses: ${weighted(t.topics)}`] : []),
    ...(t?.resumeItems ?? []).map((i) => `- From the résumé (${i.section}): ${i.name} — ${i.claims.map((c) => `“${c}”`).join(' ')}`),
    '',
    ...(jobDescription ? ['<details><summary>Job description</summary>', '', quote(jobDescription), '', '</details>', ''] : []),
    ...(resume ? ['<details><summary>Résumé</summary>', '', quote(resume), '', '</details>', ''] : []),
  ];
}

/**
 * A session as a Markdown document: transcript, feedback per question, debrief, and the stories
 * of the candidate's bank it told.
 */
export function toMarkdown(s: Session, stories: Story[] = []): string {
  const out: string[] = [];
  out.push(`# mockloop session — ${s.loop}`, '');
  out.push(`- Started: ${s.createdAt}${s.finishedAt ? `, finished: ${s.finishedAt}` : ' (not finished)'}`);
  out.push(`- Interviewer and grader: ${s.provider === 'offline' ? 'offline (no AI model)' : `${s.provider} ${s.model ?? ''}`.trim()}`);
  out.push(`- Score: ${s.score === null ? 'not graded' : `${s.score}/100`} over ${s.gradedCount} graded of ${s.questionCount} questions`);
  if (s.level) out.push(`- Level: ${levelName(s.level)}`);
  for (const [i, iv] of (s.plan?.interviews ?? []).entries()) {
    out.push(
      `- Interview ${i + 1}: ${iv.interviewer.name}, ${iv.interviewer.role}${iv.interviewer.barRaiser ? ' (Bar Raiser)' : ''}; owns ${[...iv.principles, ...(iv.area ? [iv.area.replace('_', ' ')] : [])].join(', ')}`,
    );
  }
  out.push('', ...tailoringMarkdown(s));
  const opening = s.messages.find((m) => m.kind === 'opening');
  if (opening) out.push('## Opening', '', opening.content, '');
  for (const q of s.questions) {
    const iv = q.interview === null ? undefined : s.plan?.interviews[q.interview];
    out.push(
      `## Question ${q.position + 1}: ${q.category.replace('_', ' ')} (${q.state})${iv ? `, asked by ${iv.interviewer.name}` : ''}`,
      '',
    );
    if (q.prompt) out.push(`**${q.prompt}**`, '');
    if (q.coding) out.push(...codingMarkdown(q.coding));
    for (const m of s.messages.filter((x) => x.sessionQuestionId === q.id)) {
      if (m.kind === 'question') continue;
      out.push(m.role === 'candidate' ? `**You:**\n\n${quote(m.content)}` : `**Interviewer:** ${m.content}`, '');
      if (m.spoken) {
        out.push(...deliveryMarkdown(m.spoken.delivery));
        if (m.spoken.transcript !== m.content) out.push('As heard, before your corrections:', '', quote(m.spoken.transcript), '');
      }
    }
    if (q.grade) {
      const g = q.grade;
      out.push(
        `### Feedback: ${g.score}/100, ${g.overall}/5, ${g.verdict.replace(/_/g, ' ')} (${g.grader.kind === 'offline' ? 'offline grader' : `llm grader ${g.grader.model ?? ''}`})`,
        '',
      );
      if (g.rubricOnly) out.push(`*Graded on the rubric only: ${g.rubricOnly}.*`, '');
      out.push('| criterion | score | feedback |', '|---|---|---|');
      for (const c of g.criteria) out.push(`| ${c.id} | ${c.score ?? '–'} | ${c.feedback.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
      out.push('');
      if (g.coveredPoints.length) out.push('Covered:', ...g.coveredPoints.map((p) => `- ${p}`), '');
      if (g.missedPoints.length) out.push('Missed:', ...g.missedPoints.map((p) => `- ${p}`), '');
      if (g.strengths.length) out.push('Strengths:', ...g.strengths.map((p) => `- ${p}`), '');
      if (g.improvements.length) out.push('To improve:', ...g.improvements.map((p) => `- ${p}`), '');
      if (g.flags.length) out.push(`Flags: ${g.flags.map((f) => FLAG_LABEL[f]).join(', ')}`, '');
      if (g.bar) out.push(`Bar: ${g.bar.reason}`, '');
    }
    for (const r of q.retold) {
      const other = r.earlier.position === q.position ? r.later : r.earlier;
      out.push(`Story told twice: the same story as question ${other.position + 1} (${r.shared.join(', ')}).`, '');
    }
    if (q.referenceAnswer) out.push('<details><summary>Reference answer</summary>', '', q.referenceAnswer, '', '</details>', '');
    const written = s.feedback.find((f) => s.plan?.interviews[f.interview]?.positions.at(-1) === q.position);
    if (written) out.push(...feedbackMarkdown(written));
  }
  const d = s.debrief;
  if (d?.meeting) out.push(...meetingMarkdown(d.meeting));
  if (d) {
    out.push('## Debrief', '');
    out.push(`**Recommendation: ${d.recommendation.verdict.replace(/_/g, ' ')}.** ${d.recommendation.summary}`, '');
    for (const e of d.recommendation.evidence) out.push(`- ${e}`);
    out.push('');
    if (d.recommendation.decidedBy?.length) {
      out.push(
        'Decided by:',
        ...d.recommendation.decidedBy.map((x) => `- “${x.prompt}” — ${x.score}/100, ${x.verdict.replace(/_/g, ' ')}: ${x.why}`),
        '',
      );
    }
    if (d.recommendation.wouldChange) out.push(`What would change it: ${d.recommendation.wouldChange}`, '');
    if (d.byRubric.length)
      out.push(
        '| rubric | questions | score |',
        '|---|---|---|',
        ...d.byRubric.map((r) => `| ${r.name} | ${r.questions} | ${r.score}/100 |`),
        '',
      );
    if (d.byLeadershipPrinciple.length) {
      out.push(
        '| Leadership Principle | questions | score |',
        '|---|---|---|',
        ...d.byLeadershipPrinciple.map((p) => `| ${p.name} | ${p.questions} | ${p.score ?? '–'} |`),
        '',
      );
    }
    if (d.strongest.length) out.push('Strongest:', ...d.strongest.map((x) => `- ${x}`), '');
    if (d.weakest.length) out.push('Weakest:', ...d.weakest.map((x) => `- ${x}`), '');
    if (d.delivery) out.push(summaryMarkdown(d.delivery), '');
    if (d.practiseNext.length) out.push('Practise next:', ...d.practiseNext.map((x) => `- ${x.topic}: ${x.why}`), '');
  }
  if (stories.length) out.push('## Stories told', '', ...storiesMarkdown(stories, '###'));
  return `${out.join('\n').trim()}\n`;
}

/** A coding question's problem and every run: the code as it was, and the tests it passed (a hidden test by its number only). */
function codingMarkdown(c: CodingView): string[] {
  const fence = (code: string, language: string) => {
    const ticks = '`'.repeat(Math.max(3, ...(code.match(/`+/g) ?? []).map((t) => t.length + 1)));
    return [`${ticks}${language}`, code.replace(/\n$/, ''), ticks];
  };
  return [
    `Problem: **${c.title}** (${c.difficulty})`,
    '',
    ...c.runs.flatMap((r) => [
      `#### ${r.kind === 'submit' ? 'Submit' : 'Run'} ${r.number} (${r.language}, ${r.at}): ${r.passed ? 'every test passed' : r.error ? r.error : 'some tests failed'}`,
      '',
      `Visible tests ${r.visible.passed}/${r.visible.total}${r.kind === 'submit' ? `, hidden tests ${r.hidden.passed}/${r.hidden.total}` : ''}${r.growth?.measured ? `; running time grew like ${r.growth.measured}` : ''}.`,
      '',
      ...fence(r.code, r.language),
      '',
    ]),
  ];
}
