import type { Problem } from '../coding/pack.js';
import type { CodeRun } from '../coding/results.js';
import type { CodeEvidence } from '../grading/code-evidence.js';

/** A message of the question's exchange, as the interviewer reads it. */
type ExchangeMessage = { role: 'interviewer' | 'candidate'; kind: string; content: string };

/** What a turn knows of a coding question: its problem, its runs so far and what they showed. */
export interface CodingContext {
  problem: Problem;
  runs: CodeRun[];
  evidence: CodeEvidence;
}

/** One thing a coding interviewer asks after the candidate has spoken, in the order it matters. */
export interface CodingProbe {
  id: string;
  reason: string;
  text: string;
}

const BIG_O = /\bO\(\s*[^()]{1,24}(?:\([^()]{0,12}\)[^()]{0,12})?\)|\b(linear|quadratic|logarithmic|constant) (time|space)\b/i;

const candidateSaid = (exchange: ExchangeMessage[]) =>
  exchange
    .filter((m) => m.role === 'candidate')
    .map((m) => m.content)
    .join('\n');

/**
 * The coding interviewer's questions, each asked once: the complexity when the candidate has not
 * stated it; each named edge case the hidden tests failed on, asked as a question about the code
 * (never the test's input or expected value); then the problem's "how would this change if…".
 * A candidate who has not submitted is asked to submit first.
 */
export function codingProbes(coding: CodingContext, exchange: ExchangeMessage[]): CodingProbe[] {
  const asked = exchange.filter((m) => m.kind === 'followup').map((m) => m.content);
  const wasAsked = (text: string) => asked.some((a) => a.includes(text));
  const probes: CodingProbe[] = [];
  if (!coding.evidence.submitted) {
    probes.push({
      id: 'coding.submit',
      reason: 'no solution was submitted',
      text: 'Before we go on: submit your solution so every test runs, then tell me what you expect it to do on the tricky inputs.',
    });
  }
  if (!BIG_O.test(candidateSaid(exchange))) {
    probes.push({
      id: 'coding.complexity',
      reason: 'the time and space complexity were not stated',
      text: 'What is the time complexity of your solution, and the space? Point me to the part of the code that decides each.',
    });
  }
  for (const name of coding.evidence.failedEdgeCases ?? []) {
    const edge = coding.problem.edgeCases.find((e) => e.name === name);
    if (edge) probes.push({ id: `coding.edge.${edge.id}`, reason: `a hidden test on ${edge.name} failed`, text: edge.ask });
  }
  probes.push({ id: 'coding.change', reason: 'the follow-up every coding interview asks', text: coding.problem.followUp });
  return probes.filter((p) => !wasAsked(p.text));
}

/** The answer a coding question is graded on: what the candidate said, and the code they last ran or submitted. */
export function withCode(answer: string, evidence: CodeEvidence | undefined): string {
  if (!evidence?.code) return answer;
  return `${answer}\n\nMy ${evidence.submitted ? 'submitted' : 'last run'} code (${evidence.language}):\n${evidence.code}`;
}

/**
 * What a model interviewer is told of a coding question's runs: the tests passed, the measured
 * growth, and the questions to ask (the edge cases by name: never a hidden test's input or value).
 */
export function codingBrief(coding: CodingContext, exchange: ExchangeMessage[]): string {
  const e = coding.evidence;
  const tests = !e.ran
    ? 'The candidate has not run any code yet.'
    : e.submitted
      ? `Their last submit passed ${e.visible?.passed} of ${e.visible?.total} visible and ${e.hidden?.passed} of ${e.hidden?.total} hidden tests${e.status && e.status !== 'ok' ? ` (the run ended: ${e.status})` : ''}.`
      : `They ran the visible tests (${e.visible?.passed} of ${e.visible?.total} passed) but have not submitted.`;
  const growth = e.growth?.measured ? ` Its running time grew like ${e.growth.measured} (expected ${e.growth.expected}).` : '';
  const probes = codingProbes(coding, exchange);
  return [
    `${tests}${growth}`,
    ...(probes.length
      ? ['Still to ask, in this order (one at a time, in your own words, never revealing a test):', ...probes.map((p) => `- ${p.text}`)]
      : []),
  ].join('\n');
}
