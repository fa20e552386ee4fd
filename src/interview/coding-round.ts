import { problemIdOf } from '../coding/bank.js';
import { measureGrowth } from '../coding/growth.js';
import { inputsFor, judge } from '../coding/judge.js';
import type { CodingPack, Problem } from '../coding/pack.js';
import type { CodeRun } from '../coding/results.js';
import type { Language, Sandbox } from '../coding/types.js';
import type { SessionQuestionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
import type { CodeEvidence } from '../grading/code-evidence.js';
import { requireSession } from './views.js';

/**
 * The coding round: the candidate's code run against the current problem's tests in the sandbox
 * (Run: the visible tests; Submit: every test, then its growth measured), judged, and stored with
 * the code as it was. What the interviewer and the grader learn from the runs comes from here too.
 */
export class CodingRound {
  constructor(private readonly deps: { store: Store; pack: CodingPack; sandbox: Sandbox; now: () => Date }) {}

  /** The problem a session question asks, if it is a coding one. */
  problemOf(questionId: string): Problem | undefined {
    const id = problemIdOf(questionId);
    return id === undefined ? undefined : this.deps.pack.get(id);
  }

  /** Runs (or submits) the candidate's code for the session's current question, which must be a coding problem being asked. */
  async run(sessionId: string, userId: string, kind: 'run' | 'submit', body: { language: Language; code: string }): Promise<CodeRun> {
    const { store, sandbox } = this.deps;
    const session = await requireSession(store, sessionId, userId);
    if (session.status === 'finished') throw new AppError('conflict', 'This session is finished: its code can no longer be run');
    const current = (await store.questions(sessionId))[session.currentPosition];
    const problem = current && this.problemOf(current.questionId);
    if (!current || !problem) throw new AppError('conflict', 'The current question is not a coding problem: there is no code to run');
    if (current.state !== 'asked') {
      throw new AppError('conflict', 'This coding question is over (your answer is being graded or was): its code can no longer be run');
    }
    const { language, code } = body;
    const result = await sandbox.run({ language, code, entry: problem.entry[language], inputs: inputsFor(problem, kind) });
    const judgement = judge(problem, result, kind);
    const growth = kind === 'submit' && judgement.passed ? await measureGrowth(sandbox, problem, language, code) : undefined;
    return store.insertCodeRun(sessionId, {
      sessionQuestionId: current.id,
      kind,
      language,
      code,
      result: {
        status: result.status,
        ...(result.error && { error: result.error }),
        output: result.output,
        durationMs: result.durationMs,
        judgement,
        ...(growth && { growth }),
      },
      createdAt: this.deps.now().toISOString(),
    });
  }

  /** A question's runs, oldest first. */
  async runsOf(sessionId: string, question: Pick<SessionQuestionRow, 'id'>): Promise<CodeRun[]> {
    return (await this.deps.store.codeRuns(sessionId)).filter((r) => r.sessionQuestionId === question.id);
  }

  /**
   * What the grader reads of a coding question's runs: the last submit's results (else the last
   * run's, as not submitted), its measured growth, and the named edge cases the hidden tests failed.
   */
  evidence(runs: CodeRun[]): CodeEvidence {
    const last = runs.filter((r) => r.kind === 'submit').at(-1) ?? runs.at(-1);
    if (!last) return { submitted: false, ran: false };
    const j = last.result.judgement;
    return {
      submitted: last.kind === 'submit',
      ran: true,
      language: last.language,
      code: last.code,
      status: j.status,
      visible: j.visible,
      hidden: j.hidden,
      failedEdgeCases: j.interviewer.failedEdgeCases.map((e) => e.name),
      growth: last.result.growth && {
        measured: last.result.growth.measured,
        expected: last.result.growth.expected,
        withinExpected: last.result.growth.withinExpected,
      },
    };
  }
}
