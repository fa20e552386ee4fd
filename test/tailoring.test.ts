import { describe, expect, it } from 'vitest';
import { makeApp } from './helpers/app.js';
import { BACKEND_JOB, RESUME, RESUME_PROJECT } from './helpers/tailoring.js';

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

  it('says what it matched, and asks about a project named in the résumé with follow-ups on its claims', async () => {
    const app = makeApp();
    const s = await start(app, { interviews: 5, seed: 'r', jobDescription: BACKEND_JOB, resume: RESUME });
    expect(s.tailoring.source).toBe('offline');
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
  });
});
