import { z } from 'zod';
import { type BankEntry, LEADERSHIP_PRINCIPLES, TOPICS } from '../bank/schema.js';
import { isAppError } from '../errors.js';
import type { Model } from '../llm/client.js';
import { loadPrompt, neutralizeTags, render } from '../llm/prompts.js';
import { completeStructured } from '../llm/structured.js';
import type { Logger } from '../observability/logger.js';
import { tailorOffline } from './offline.js';
import { RESUME_SECTIONS, type Tailor, type TailorInput, type Tailoring } from './schema.js';

/**
 * The model's tailoring: one structured call reads both texts. What it says is checked against
 * them before it is used: a claim must be the résumé's own words and a matched phrase the job's,
 * or the model is asked again (and a second failure falls back to the offline reading, which
 * says why). Weights are clamped to 0–1.
 */

const weighted = <T extends readonly [string, ...string[]]>(ids: T) =>
  z.array(z.object({ id: z.enum(ids), weight: z.number(), matched: z.array(z.string()) }));

export const TailorReply = z.object({
  principles: weighted(LEADERSHIP_PRINCIPLES),
  topics: weighted(TOPICS),
  resumeItems: z.array(
    z.object({
      name: z.string(),
      section: z.enum(RESUME_SECTIONS),
      claims: z.array(z.string()),
      verbs: z.array(z.string()),
      figures: z.array(z.string()),
      tech: z.array(z.string()),
    }),
  ),
});
export type TailorReply = z.infer<typeof TailorReply>;

/** Text compared whatever its spacing, case or bullet marks. */
const loose = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s•▪◦‣●\-–—*]+/g, ' ')
    .trim();

/** A problem to send back to the model: a claim or a matched phrase that is not in the texts. */
export function checkReply(reply: TailorReply, input: TailorInput): string | undefined {
  const job = loose(input.jobDescription ?? '');
  const resume = loose(input.resume ?? '');
  for (const w of [...reply.principles, ...reply.topics].flatMap((x) => x.matched)) {
    if (!job.includes(loose(w))) return `"matched" must quote the job description; "${w}" is not in it`;
  }
  for (const c of reply.resumeItems.flatMap((i) => i.claims)) {
    if (!resume.includes(loose(c))) return `"claims" must be copied exactly from the résumé; "${c}" is not in it`;
  }
  return undefined;
}

const clamp = (w: number) => Math.round(Math.max(0, Math.min(1, w)) * 100) / 100;

export function modelTailor(llm: Model, bank: readonly BankEntry[], logger?: Logger): Tailor {
  return async (input, signal) => {
    try {
      const { value, usage } = await completeStructured({
        ...llm,
        name: 'tailoring',
        schema: TailorReply,
        signal,
        messages: [
          { role: 'system', content: `${loadPrompt('tailor.system.md').trim()}\nAllowed topics: ${TOPICS.join(', ')}.` },
          {
            role: 'user',
            content: render(loadPrompt('tailor.user.md'), {
              job: neutralizeTags(input.jobDescription?.trim() || '(none)'),
              resume: neutralizeTags(input.resume?.trim() || '(none)'),
            }),
          },
        ],
        check: (reply) => checkReply(reply, input),
      });
      const tailoring: Tailoring = {
        source: 'model',
        principles: value.principles.slice(0, 6).map((p) => ({ ...p, weight: clamp(p.weight) })),
        topics: value.topics.slice(0, 6).map((t) => ({ ...t, weight: clamp(t.weight) })),
        resumeItems: value.resumeItems.filter((i) => i.claims.length).slice(0, 3),
      };
      return { tailoring, usage };
    } catch (e) {
      if (signal?.aborted) throw e;
      const reason = isAppError(e) ? e.message : 'the model call failed';
      logger?.warn({ event: 'tailoring_fell_back', code: isAppError(e) ? e.code : 'internal' }, 'tailoring fell back to offline');
      return {
        tailoring: { ...tailorOffline(input, bank), note: `The model could not read the texts (${reason}): our own matching was used` },
      };
    }
  };
}
