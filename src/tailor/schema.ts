import { z } from '@hono/zod-openapi';
import { LeadershipPrinciple, Topic } from '../bank/schema.js';

/**
 * Tailoring a loop to a job and a résumé: the texts a candidate gives, and what was made of them
 * (the principles and topics the job stresses, with the words that showed it, and the résumé's
 * projects and roles with their claims), by a model or by our own code.
 */

/** The most characters of a job description or a résumé: a long posting or a three-page CV fits. */
export const MAX_JOB_CHARS = 20_000;
export const MAX_RESUME_CHARS = 20_000;
/** The largest résumé file accepted (PDF or DOCX). */
export const MAX_RESUME_BYTES = 2 * 1024 * 1024;

const tooLong = (what: string, max: number) => `${what} is longer than ${max.toLocaleString('en')} characters: shorten it`;

export const JobDescriptionText = z
  .string({ error: 'must be text' })
  .max(MAX_JOB_CHARS, { error: tooLong('The job description', MAX_JOB_CHARS) })
  .openapi({ description: `The job description to tailor the loop to (at most ${MAX_JOB_CHARS} characters)` });

export const ResumeText = z
  .string({ error: 'must be text' })
  .max(MAX_RESUME_CHARS, { error: tooLong('The résumé', MAX_RESUME_CHARS) })
  .openapi({
    description: `The candidate's résumé as text (at most ${MAX_RESUME_CHARS} characters): POST /api/resume reads a PDF or DOCX into it`,
  });

export const RESUME_SECTIONS = ['experience', 'projects'] as const;

export const ResumeItem = z
  .object({
    name: z.string().openapi({ description: 'The project or role as the résumé names it' }),
    section: z.enum(RESUME_SECTIONS).openapi({ description: 'The résumé section it is in' }),
    claims: z.array(z.string()).openapi({ description: 'What the résumé says was done, as written (its bullet points)' }),
    verbs: z.array(z.string()).openapi({ description: 'The action verbs of the claims' }),
    figures: z.array(z.string()).openapi({ description: 'Numbers the claims cite (40%, 2M users)' }),
    tech: z.array(z.string()).openapi({ description: 'Technologies the claims name' }),
  })
  .openapi('ResumeItem');
export type ResumeItem = z.infer<typeof ResumeItem>;

export const Weighted = <T extends z.ZodType>(id: T) =>
  z.object({
    id,
    weight: z.number().min(0).max(1).openapi({ description: 'How much the job stresses it, 0–1 (1: the most stressed)' }),
    matched: z.array(z.string()).openapi({ description: "The job description's words that showed it" }),
  });

export const Tailoring = z
  .object({
    source: z.enum(['offline', 'model']).openapi({ description: 'Who read the texts: our own matching, or the model' }),
    note: z.string().optional().openapi({ description: 'Why the offline reading was used when a model was set (it failed)' }),
    principles: z.array(Weighted(LeadershipPrinciple)).openapi({ description: 'The Leadership Principles the job stresses, most first' }),
    topics: z.array(Weighted(Topic)).openapi({ description: 'The technical topics the job stresses, most first' }),
    resumeItems: z
      .array(ResumeItem)
      .openapi({ description: 'The résumé projects and roles chosen to ask about (the first is asked), most substantial first' }),
  })
  .openapi('Tailoring');
export type Tailoring = z.infer<typeof Tailoring>;

/** What tailoring reads: either text may be missing or empty. */
export interface TailorInput {
  jobDescription?: string;
  resume?: string;
}

/** Reads a job description and a résumé into a Tailoring, with the model tokens it used (none offline). */
export type Tailor = (
  input: TailorInput,
  signal?: AbortSignal,
) => Promise<{ tailoring: Tailoring; usage?: { promptTokens: number; completionTokens: number } }>;

/** A résumé file read into text: what the page shows in the résumé box to check and edit. */
export const ResumeUpload = z
  .object({
    text: z.string().openapi({ description: 'The text read from the file, to check and edit before starting' }),
    format: z.enum(['pdf', 'docx', 'text']),
    pages: z.number().int().nullable().openapi({ description: 'Pages of a PDF; null for other formats' }),
    truncated: z.boolean().openapi({ description: `The text was cut at ${MAX_RESUME_CHARS} characters` }),
    items: z.array(ResumeItem).openapi({ description: 'The projects and roles the offline reading finds in it' }),
  })
  .openapi('ResumeUpload');
export type ResumeUpload = z.infer<typeof ResumeUpload>;
