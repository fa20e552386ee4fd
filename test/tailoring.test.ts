import { pngBytes } from './helpers/files.js';
import { describe, expect, it } from 'vitest';
import { readResume } from '../src/tailor/resume.js';
import { makeApp } from './helpers/app.js';
import { completion, mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';
import { BACKEND_JOB, docxOf, pdfOf, RESUME, RESUME_PROJECT } from './helpers/tailoring.js';

/** What the job stresses: the principles and topics a tailored loop should lean towards. */
const JOB_PRINCIPLES = new Set<string>(['Ownership', 'Dive Deep']);
const JOB_TOPICS = new Set<string>(['databases', 'scaling']);

type Started = Awaited<ReturnType<typeof start>>;
async function start(app: ReturnType<typeof makeApp>, json: Record<string, unknown>) {
  const res = await app.post('/api/sessions', json);
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
  return res.body as {
    id: string;
    plan: { interviews: Array<{ principles: string[]; positions: number[]; interviewer: { id: string } }> } | null;
    questions: Array<{ questionId: string; topics: string[]; leadershipPrinciples: string[]; category: string; prompt: string | null }>;
    tailoring: any;
    request: any;
    messages: Array<{ content: string; kind: string }>;
  };
}

/** How much of a loop is on what the job stresses: its owned principles, and questions on its topics. */
const onJob = (s: Started) => ({
  principles: s.plan!.interviews.flatMap((i) => i.principles).filter((p) => JOB_PRINCIPLES.has(p)).length,
  topics: s.questions.filter((q) => q.topics.some((t) => JOB_TOPICS.has(t))).length,
});

describe('a loop tailored to a job description and a résumé, offline', () => {
  it("leans the loop's principles and topics towards the job, compared with the same seeds untailored", async () => {
    const app = makeApp();
    let tailored = { principles: 0, topics: 0 };
    let plain = { principles: 0, topics: 0 };
    for (const seed of ['a', 'b', 'c', 'd']) {
      const t = onJob(await start(app, { interviews: 5, seed, jobDescription: BACKEND_JOB }));
      const p = onJob(await start(app, { interviews: 5, seed }));
      // never less on the job than the same loop untailored
      expect(t.principles).toBeGreaterThanOrEqual(p.principles);
      expect(t.topics).toBeGreaterThanOrEqual(p.topics);
      tailored = { principles: tailored.principles + t.principles, topics: tailored.topics + t.topics };
      plain = { principles: plain.principles + p.principles, topics: plain.topics + p.topics };
    }
    expect(tailored.principles).toBeGreaterThan(plain.principles);
    expect(tailored.topics).toBeGreaterThan(plain.topics);
    // every tailored loop owns both principles the job stresses
    expect(tailored.principles).toBe(2 * 4);
  });

  it("leans a practice session's technical questions towards the job's topics, and asks about the résumé after the behavioural ones", async () => {
    const app = makeApp();
    const onTopics = (s: Started) => s.questions.filter((q) => q.topics.some((t) => JOB_TOPICS.has(t))).length;
    let tailored = 0;
    let plain = 0;
    for (const seed of ['a', 'b', 'c']) {
      const t = await start(app, { mix: { behavioral: 1, technical: 3 }, seed, jobDescription: BACKEND_JOB, resume: RESUME });
      const p = await start(app, { mix: { behavioral: 1, technical: 3 }, seed });
      expect(t.questions.map((q) => q.category)).toEqual(['behavioral', 'behavioral', 'technical', 'technical', 'technical']);
      expect(t.questions[1]!.questionId).toBe('resume-project');
      tailored += onTopics(t);
      plain += onTopics(p);
    }
    expect(tailored).toBeGreaterThan(plain);
    expect(tailored).toBe(9);
  });

  it('says what it matched, and asks about a project named in the résumé with follow-ups on its claims', async () => {
    const app = makeApp();
    const s = await start(app, { interviews: 5, seed: 'r', jobDescription: BACKEND_JOB, resume: RESUME });
    expect(s.tailoring.source).toBe('offline');
    expect((s as unknown as { loop: string }).loop).toBe('SDE II loop: 4 interviews and the Bar Raiser, tailored to a job and a résumé');
    const principles = s.tailoring.principles.map((p: { id: string }) => p.id);
    expect(principles.slice(0, 2).sort()).toEqual(['Dive Deep', 'Ownership']);
    expect(s.tailoring.principles[0].matched.length).toBeGreaterThan(0);
    expect(s.tailoring.principles.find((p: { id: string }) => p.id === 'Dive Deep').matched).toContain('dive deep');
    const topics = s.tailoring.topics.map((t: { id: string }) => t.id);
    expect(topics.slice(0, 2).sort()).toEqual(['databases', 'scaling']);
    expect(s.tailoring.resumeItems[0]).toMatchObject({ name: RESUME_PROJECT, section: 'projects' });
    expect(s.tailoring.resumeItems[0].figures).toContain('65%');
    // the texts are kept with the session
    expect(s.request).toMatchObject({ jobDescription: BACKEND_JOB, resume: RESUME });

    const resumeAt = s.questions.findIndex((q) => q.questionId === 'resume-project');
    expect(resumeAt).toBeGreaterThan(0);
    // asked by the hiring manager
    const by = s.plan!.interviews.find((i) => i.positions.includes(resumeAt))!;
    expect(by.interviewer.id).toBe('hiring-manager');
    // every question before it: skipped
    for (let i = 0; i < resumeAt; i++) expect((await app.post(`/api/sessions/${s.id}/skip`, {})).status).toBe(200);
    const now = (await app.json(`/api/sessions/${s.id}`)).body;
    const asked = now.messages.at(-1).content as string;
    expect(asked).toMatch(new RegExp(`Walk me through ${RESUME_PROJECT} on your résumé`));
    const reply = await app.post(`/api/sessions/${s.id}/answer`, {
      text: 'We built a ledger. It was a good project and the team was happy with it.',
    });
    expect(reply.status).toBe(200);
    const followUp = reply.body.messages.find((m: { kind: string }) => m.kind === 'followup');
    // the follow-up quotes what the résumé claims, not the answer
    expect(followUp.content).toMatch(/^Your résumé says "(Designed the ledger schema|Reduced reconciliation time by 65%)/);
    // the next one quotes another claim, never the same twice
    const again = await app.post(`/api/sessions/${s.id}/answer`, {
      text: 'I worked on the ledger with the team and it went well for everyone.',
    });
    const second = again.body.messages.find((m: { kind: string }) => m.kind === 'followup');
    expect(second.content).toMatch(/^Your résumé says "/);
    expect(second.content.split('"')[1]).not.toBe(followUp.content.split('"')[1]);
  });
});

/** A project story told well: what the résumé question is answered with. */
const STORY =
  'Ledgerline was my own double-entry ledger. Reconciliation took hours, so I designed the schema with partitioned tables in PostgreSQL and I wrote the reconciliation job myself. I measured it before and after: reconciliation time fell by 65% and it now handles 40,000 transactions per minute. Next time I would add load tests earlier.';

describe('a question made from the résumé', () => {
  it('is graded on the rubric only, and the card, the export and the replay say so; the texts go with the session', async () => {
    const app = makeApp();
    const s = await start(app, { questionIds: ['amazon-32'], jobDescription: BACKEND_JOB, resume: RESUME, maxFollowUps: 0 });
    expect(s.questions.map((q) => q.questionId)).toEqual(['amazon-32', 'resume-project']);
    expect((await app.post(`/api/sessions/${s.id}/skip`, {})).status).toBe(200);
    const graded = await app.post(`/api/sessions/${s.id}/answer`, { text: STORY });
    expect(graded.status).toBe(200);
    const grade = graded.body.grades[0].grade;
    expect(grade.rubricId).toBe('star');
    expect(grade.rubricOnly).toMatch(/no reference answer: it is graded on the rubric only/);
    // nothing to cover: no reference, no signals; and no principle asked, so none judged
    expect(grade.missedPoints).toEqual([]);
    expect(grade.criteria.map((c: { id: string }) => c.id)).toEqual(['situation_task', 'action', 'result', 'reflection']);
    expect(grade.score).toBeGreaterThan(40);

    const replay = (await app.json(`/api/sessions/${s.id}`)).body;
    const q = replay.questions[1];
    expect(q.prompt).toMatch(/Walk me through Ledgerline on your résumé/);
    expect(q.referenceAnswer).toBe('');
    expect(replay.tailoring.resumeItems[0].name).toBe(RESUME_PROJECT);
    expect(replay.request).toMatchObject({ jobDescription: BACKEND_JOB, resume: RESUME });

    const md = await (await app.request(`/api/sessions/${s.id}/export?format=md`)).text();
    expect(md).toMatch(/## Tailored to the job and the résumé \(read offline\)/);
    expect(md).toMatch(/Principles the job stresses: (Ownership|Dive Deep)/);
    expect(md).toContain('> Senior Backend Engineer, Orders Platform');
    expect(md).toContain('> - Reduced reconciliation time by 65% with partitioned tables');
    expect(md).toMatch(/Graded on the rubric only: a question made from your résumé/);
    const json = JSON.parse(await (await app.request(`/api/sessions/${s.id}/export?format=json`)).text());
    expect(json.request).toMatchObject({ jobDescription: BACKEND_JOB, resume: RESUME });
    expect(json.tailoring.source).toBe('offline');

    expect((await app.request(`/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.json(`/api/sessions/${s.id}`)).status).toBe(404);
    expect(await app.deps.store.session(s.id)).toBeFalsy();
  });

  it('is documented: the texts on a new session, the résumé upload and the tailoring', async () => {
    const doc = (await makeApp().json('/openapi.json')).body;
    expect(Object.keys(doc.components.schemas.CreateSession.properties)).toEqual(expect.arrayContaining(['jobDescription', 'resume']));
    expect(Object.keys(doc.paths['/api/resume'].post.responses)).toEqual(expect.arrayContaining(['200', '413', '415', '422']));
    expect(doc.paths['/api/resume'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(doc.components.schemas.Session.allOf[1].properties.tailoring).toBeDefined();
    expect(Object.keys(doc.components.schemas.Tailoring.properties)).toEqual(['source', 'note', 'principles', 'topics', 'resumeItems']);
    expect(doc.components.schemas.Grade.properties.rubricOnly).toBeDefined();
  });

  it('refuses texts over the limit with a 400 naming the field', async () => {
    const app = makeApp();
    const long = await app.post('/api/sessions', { jobDescription: 'x'.repeat(20_001) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/jobDescription.*longer than 20,000 characters/);
    const notText = await app.post('/api/sessions', { resume: 42 });
    expect(notText.status).toBe(400);
    expect(notText.body.error.message).toMatch(/"resume": must be text/);
    // empty texts tailor nothing
    const plain = await start(app, { jobDescription: '  ', resume: '' });
    expect(plain.tailoring).toBeNull();
  });
});

const upload = (app: ReturnType<typeof makeApp>, bytes: Uint8Array, name: string, type = 'application/octet-stream') => {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(bytes)], name, { type }));
  return app.json('/api/resume', { method: 'POST', body: form });
};

describe('reading a résumé offline', () => {
  it('reads one without headings as experience, with • bullets and lines that start with a verb, and skips Education and Skills', () => {
    const items = readResume(
      [
        'John Roe',
        'Globex — Software Engineer (2019 – 2023)',
        '• Built the billing API in Kotlin serving 12,000 requests per second',
        'Reduced cloud costs by 30% by moving batch jobs to spot instances',
        'Skills',
        '• Kotlin, Go, Terraform, and many other languages',
      ].join('\n'),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'Globex — Software Engineer', section: 'experience', verbs: ['built', 'reduced'] });
    expect(items[0]!.claims).toHaveLength(2);
    expect(items[0]!.figures).toEqual(['12,000 requests', '30%']);
    expect(items[0]!.tech).toContain('Kotlin');
    expect(readResume('Education\nBSc, 2014\nSkills\nGo')).toEqual([]);
  });
});

describe('POST /api/resume', () => {
  it('reads a PDF and a DOCX into text, by their bytes, with the projects found in them', async () => {
    const app = makeApp();
    const pdf = await upload(app, pdfOf(RESUME), 'cv.pdf', 'application/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.body).toMatchObject({ format: 'pdf', pages: 1, truncated: false });
    expect(pdf.body.text).toContain('Reduced reconciliation time by 65% with partitioned tables');
    expect(pdf.body.items[0].name).toBe(RESUME_PROJECT);
    // a DOCX named .pdf, sent as anything: its bytes decide
    const docx = await upload(app, await docxOf(RESUME), 'resume.pdf', 'text/plain');
    expect(docx.status).toBe(200);
    expect(docx.body).toMatchObject({ format: 'docx', pages: null });
    expect(docx.body.text).toContain('Led the migration of the orders database from MySQL to DynamoDB');
    expect(docx.body.items[0].name).toBe(RESUME_PROJECT);
    // the text read starts a tailored loop
    const s = await start(app, { interviews: 2, seed: 'p', resume: pdf.body.text });
    expect(s.questions.some((q) => q.questionId === 'resume-project')).toBe(true);
  });

  it('answers 415 for another type, 422 for a damaged, protected or empty file, 413 for a large one, 400 for none', async () => {
    const app = makeApp();
    const png = pngBytes(40);
    const wrong = await upload(app, png, 'resume.pdf', 'application/pdf');
    expect(wrong.status).toBe(415);
    expect(wrong.body.error).toMatchObject({ code: 'unsupported_media_type' });
    expect(wrong.body.error.message).toMatch(/must be a PDF or a Word document \(\.docx\), not a png file/);

    const corrupt = await upload(app, new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog garbage')), 'cv.pdf');
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.error).toMatchObject({ code: 'unreadable_file' });
    expect(corrupt.body.error.message).toMatch(/PDF could not be read.*paste the résumé's text/);
    const locked = await upload(app, pdfOf(RESUME, { encrypted: true }), 'cv.pdf');
    expect(locked.status).toBe(422);
    expect(locked.body.error.message).toMatch(/protected by a password/);
    const blank = await upload(app, await docxOf(''), 'cv.docx');
    expect(blank.status).toBe(422);
    expect(blank.body.error.message).toMatch(/has no text/);

    const big = await upload(app, pdfOf(`${RESUME}\n${'x'.repeat(3 * 1024 * 1024)}`), 'cv.pdf');
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/larger than 2 MB/);
    expect((await upload(app, new Uint8Array(), 'cv.pdf')).status).toBe(400);
    // text over the limit is read, cut at it, and says so
    const long = await upload(app, new Uint8Array(Buffer.from(`${RESUME}\n${'word '.repeat(5000)}`)), 'cv.txt');
    expect(long.status).toBe(200);
    expect(long.body).toMatchObject({ format: 'text', truncated: true });
    expect(long.body.text).toHaveLength(20_000);
    const asJson = await app.post('/api/resume', { file: 'x' });
    expect(asJson.status).toBe(415);
    expect(asJson.body.error.message).toMatch(/résumé as multipart\/form-data, in a field named "file"/);
  });
});

/** The model's reading of the job and the résumé, as a recorded structured reply. */
const modelTailoring = (
  claims: string[] = ['Designed the ledger schema and wrote the reconciliation job that processes 40,000 transactions per minute'],
) =>
  completion(
    JSON.stringify({
      principles: [
        { id: 'Dive Deep', weight: 1, matched: ['dive deep into latency and throughput problems'] },
        { id: 'Ownership', weight: 0.9, matched: ['takes ownership'] },
      ],
      topics: [
        { id: 'databases', weight: 1, matched: ['design databases and data models'] },
        { id: 'scaling', weight: 0.8, matched: ['scale to millions of requests per second'] },
      ],
      resumeItems: [{ name: 'Ledgerline', section: 'projects', claims, verbs: ['designed'], figures: ['40,000'], tech: ['PostgreSQL'] }],
    }),
    { usage: { prompt_tokens: 1200, completion_tokens: 150 } },
  );

describe('a loop tailored by the model (mocked with msw)', () => {
  it('reads the texts in one structured call and plans from it: the job leads, the résumé project is asked and graded on the rubric only', async () => {
    const app = makeApp(MODEL_ENV);
    mock.reply(modelTailoring());
    const s = await start(app, { interviews: 5, seed: 'm', jobDescription: BACKEND_JOB, resume: RESUME });
    const call = mock.requests[0]!;
    expect(call.response_format.json_schema.name).toBe('tailoring');
    expect(call.messages[1].content).toContain('<job_description>\nSenior Backend Engineer');
    expect(s.tailoring).toMatchObject({ source: 'model', principles: [{ id: 'Dive Deep' }, { id: 'Ownership' }] });
    expect(s.plan!.interviews.flatMap((i) => i.principles)).toEqual(expect.arrayContaining(['Dive Deep', 'Ownership']));
    // the model's reading counts with the session's tokens, on its opening
    expect((s as unknown as { tokens: { prompt: number } }).tokens.prompt).toBe(1200);
    const plain = onJob(await start(app, { interviews: 5, seed: 'm' }));
    expect(onJob(s).topics).toBeGreaterThanOrEqual(plain.topics);
    const resumeAt = s.questions.findIndex((q) => q.questionId === 'resume-project');
    expect(resumeAt).toBeGreaterThan(0);

    // the résumé question, asked through the model: graded with no reference, on the rubric only
    const practice = await (async () => {
      mock.reply(modelTailoring());
      return start(app, { questionIds: ['amazon-32'], resume: RESUME, maxFollowUps: 1 });
    })();
    mock.reply(say('Thanks.'));
    expect((await app.post(`/api/sessions/${practice.id}/skip`, {})).status).toBe(200);
    // the model is asked for the star criteria but the principle one: the question asks about no principle
    const reply = gradeReply('star', 4, 'I wrote the reconciliation job myself') as { content: string };
    const parsed = JSON.parse(reply.content);
    delete parsed.criteria.leadership_principles;
    mock.reply(decide('next'), completion(JSON.stringify(parsed)), say('That was the last one.'));
    const before = mock.requests.length;
    const graded = await app.post(`/api/sessions/${practice.id}/answer`, { text: STORY });
    expect(graded.status, JSON.stringify(graded.body)).toBe(200);
    expect(graded.body.grades[0].grade.rubricOnly).toMatch(/graded on the rubric only/);
    const decideCall = mock.requests[before]!;
    expect(decideCall.messages[1].content).toContain('No reference answer: a question made from the candidate');
    expect(decideCall.messages[1].content).toContain('- Designed the ledger schema');
    const gradeCall = mock.requests[before + 1]!;
    expect(gradeCall.messages[1].content).toContain('<no_reference>');
    expect(gradeCall.messages[1].content).toContain('Grade on the rubric only');
    expect(Object.keys(gradeCall.response_format.json_schema.schema.properties.criteria.properties)).toEqual([
      'situation_task',
      'action',
      'result',
      'reflection',
    ]);
  });

  it('sends back a claim the résumé does not make, and falls back to its own reading, saying so, when the model fails twice', async () => {
    const app = makeApp(MODEL_ENV);
    mock.reply(modelTailoring(['Invented the internet']), modelTailoring());
    const fixed = await start(app, { interviews: 2, seed: 'f', resume: RESUME, jobDescription: BACKEND_JOB });
    expect(mock.requests[1]!.messages.at(-1).content).toMatch(/"claims" must be copied exactly from the résumé; "Invented the internet"/);
    expect(fixed.tailoring.source).toBe('model');

    mock.reply(modelTailoring(['Invented the internet']), modelTailoring(['Invented the internet']));
    const fallback = await start(app, { interviews: 2, seed: 'f', resume: RESUME, jobDescription: BACKEND_JOB });
    expect(fallback.tailoring.source).toBe('offline');
    expect(fallback.tailoring.note).toMatch(/our own matching was used/);
    expect(fallback.questions.some((q) => q.questionId === 'resume-project')).toBe(true);
  });

  it("counts the model's reading in the user's monthly budget: once it is spent, only an untailored loop starts", async () => {
    const app = makeApp({ ...MODEL_ENV, USER_TOKEN_BUDGET: '1000' });
    mock.reply(modelTailoring());
    const first = await start(app, { interviews: 2, seed: 'b', jobDescription: BACKEND_JOB, resume: RESUME });
    expect(first.tailoring.source).toBe('model');
    const spent = await app.post('/api/sessions', { interviews: 2, seed: 'b', jobDescription: BACKEND_JOB, resume: RESUME });
    expect(spent.status).toBe(429);
    expect(spent.body.error.code).toBe('budget_exhausted');
    expect(mock.requests).toHaveLength(1);
    await start(app, { interviews: 2, seed: 'b' });
  });
});
