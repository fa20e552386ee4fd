import type { CriterionDraft } from './card.js';

/**
 * What the coding round's runs show, for the grader: our own code's findings, not the candidate's
 * words and not a model's reading. The correctness criterion is decided by the tests; the
 * complexity criterion is held down when the measured growth is worse than the problem allows.
 */
export interface CodeEvidence {
  /** The candidate submitted (every test ran), not only ran the visible tests. */
  submitted: boolean;
  /** Any code was run at all. */
  ran: boolean;
  language?: 'javascript' | 'python';
  /** The code of the run the evidence is from. */
  code?: string;
  status?: 'ok' | 'compile_error' | 'timeout' | 'memory' | 'crashed';
  visible?: { passed: number; total: number };
  hidden?: { passed: number; total: number };
  /** The named edge cases of the hidden tests that failed (never the tests themselves). */
  failedEdgeCases?: string[];
  growth?: { measured: string | null; expected: string; withinExpected: boolean | null };
}

const STATUS: Record<string, string> = {
  compile_error: 'did not compile',
  timeout: 'ran out of time',
  memory: 'ran out of memory',
  crashed: 'crashed',
};

/** The correctness draft the tests decide. */
function correctness(code: CodeEvidence): CriterionDraft {
  if (!code.ran) {
    return {
      id: 'correctness',
      level: 1,
      evidence: ['No code was run or submitted'],
      shows: '',
      lacks: 'No code was submitted to run against the tests',
    };
  }
  const v = code.visible ?? { passed: 0, total: 0 };
  const h = code.hidden ?? { passed: 0, total: 0 };
  const tally = code.submitted
    ? `Passed ${v.passed} of ${v.total} visible and ${h.passed} of ${h.total} hidden tests`
    : `Ran the visible tests only (${v.passed} of ${v.total} passed) and never submitted`;
  const broken = code.status && code.status !== 'ok' ? STATUS[code.status] : undefined;
  const edges = code.failedEdgeCases?.length ? ` Missed: ${code.failedEdgeCases.join('; ')}.` : '';
  if (broken) return { id: 'correctness', level: 1, evidence: [tally], shows: '', lacks: `The code ${broken}` };
  if (!code.submitted) {
    return {
      id: 'correctness',
      level: v.passed === v.total && v.total > 0 ? 2 : 1,
      evidence: [tally],
      shows: '',
      lacks: 'Submit the solution so every test runs',
    };
  }
  if (v.passed === v.total && h.passed === h.total)
    return { id: 'correctness', level: 5, evidence: [tally], shows: 'Passes every visible and hidden test', lacks: '' };
  if (v.passed === v.total) {
    return {
      id: 'correctness',
      level: 3,
      evidence: [tally],
      shows: 'Passes the visible tests',
      lacks: `Fails hidden tests: an edge case or a large input.${edges}`,
    };
  }
  return { id: 'correctness', level: v.passed > 0 ? 2 : 1, evidence: [tally], shows: '', lacks: `Fails visible tests.${edges}` };
}

/**
 * The grader's drafts with the coding round's evidence in: correctness from the tests, and the
 * complexity held at 2 when the solution measurably grows faster than the problem allows, or
 * when nothing ran (there is no complexity to speak of). Other criteria are the grader's.
 */
export function withCodeEvidence(drafts: CriterionDraft[], code: CodeEvidence | undefined): CriterionDraft[] {
  if (!code) return drafts;
  return drafts.map((d) => {
    if (d.id === 'correctness') return correctness(code);
    if (d.id !== 'complexity') return d;
    const g = code.growth;
    if (!code.ran) return { ...d, level: d.level === null ? null : Math.min(d.level, 2), held: 'No code ran, so no complexity was shown' };
    if (g?.withinExpected === false) {
      const measured = `Measured growth ${g.measured ?? 'unclear'} where ${g.expected} is expected`;
      return {
        ...d,
        level: Math.min(d.level ?? 2, 2),
        evidence: [...d.evidence, measured],
        // Said as what it lacks: the level's own words ("does not state a complexity") may not be true of it.
        shows: '',
        lacks: `${measured}: the solution is slower than the problem allows`,
      };
    }
    if (g?.withinExpected === true && d.level === null) {
      return {
        ...d,
        level: 2,
        evidence: [`Measured growth ${g.measured ?? ''} within ${g.expected}`],
        lacks: 'The solution is fast enough, but its time and space complexity were never stated',
      };
    }
    return d;
  });
}
