import type { Level } from '../../src/grading/levels.js';
import { loadRubrics } from '../../src/grading/rubrics.js';
import { RUBRICS_DIR } from '../../src/start.js';
import { completion, type Reply } from './openai-mock.js';

const rubrics = loadRubrics(RUBRICS_DIR);

/** A model's grade reply for a rubric, every criterion at `score`, every bar dimension at `level` shown by `barQuote` (by default `quote`, none at L4). */
export function gradeReply(rubricId: string, score = 4, quote = '', level: Level = 'L4', barQuote = level === 'L4' ? '' : quote): Reply {
  return completion(
    JSON.stringify({
      criteria: Object.fromEntries(
        rubrics.get(rubricId)!.criteria.map((c) => [c.id, { score, evidence: quote ? [quote] : [], feedback: `${c.name}: ${score}/5` }]),
      ),
      leadershipPrinciples: [],
      coveredPoints: ['A covered point'],
      missedPoints: ['A missed point'],
      strengths: ['A strength'],
      improvements: ['An improvement'],
      flags: [],
      bar: Object.fromEntries(Object.keys(rubrics.get(rubricId)!.bar ?? {}).map((id) => [id, { level, evidence: barQuote }])),
    }),
    { usage: { prompt_tokens: 900, completion_tokens: 200 } },
  );
}

export const decide = (action: 'followup' | 'next', criterionId: string | null = null): Reply =>
  completion(JSON.stringify({ action, criterionId, reason: 'test' }), { usage: { prompt_tokens: 400, completion_tokens: 20 } });

export const say = (...chunks: string[]): Extract<Reply, { kind: 'stream' }> => ({
  kind: 'stream',
  chunks,
  usage: { prompt_tokens: 300, completion_tokens: 15 },
});
