import { z } from '@hono/zod-openapi';

/** The categories, in the order a loop asks them: warm-up first, design last. */
export const CATEGORIES = ['company', 'behavioral', 'technical', 'coding', 'system_design'] as const;
export const Category = z.enum(CATEGORIES);
export type Category = z.infer<typeof Category>;

export const RUBRIC_IDS = ['star', 'system-design', 'technical', 'company', 'coding'] as const;
export type RubricId = (typeof RUBRIC_IDS)[number];

/** The small fixed topic vocabulary; the importer tags entries with these only. */
export const TOPICS = [
  'dynamodb',
  's3',
  'lambda',
  'consistency',
  'caching',
  'messaging',
  'security',
  'observability',
  'deployment',
  'networking',
  'containers',
  'databases',
  'scaling',
  'resilience',
  'serverless',
  'streaming',
  'infrastructure-as-code',
  'api-design',
  'leadership',
  'strategy',
  'customer',
] as const;
export const Topic = z.enum(TOPICS);
export type Topic = z.infer<typeof Topic>;

export const LEADERSHIP_PRINCIPLES = [
  'Customer Obsession',
  'Ownership',
  'Invent and Simplify',
  'Are Right, A Lot',
  'Learn and Be Curious',
  'Hire and Develop the Best',
  'Insist on the Highest Standards',
  'Think Big',
  'Bias for Action',
  'Frugality',
  'Earn Trust',
  'Dive Deep',
  'Have Backbone; Disagree and Commit',
  'Deliver Results',
  "Strive to be Earth's Best Employer",
  'Success and Scale Bring Broad Responsibility',
] as const;
export const LeadershipPrinciple = z.enum(LEADERSHIP_PRINCIPLES);
export type LeadershipPrinciple = z.infer<typeof LeadershipPrinciple>;

export const BankEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    number: z.number().int().positive().nullable(),
    prompt: z.string().min(1),
    referenceAnswer: z.string(),
    category: Category,
    rubric: z.enum(RUBRIC_IDS),
    topics: z.array(Topic),
    leadershipPrinciples: z.array(LeadershipPrinciple),
    /** What an interviewer listens for; the stand-in for a reference answer in the LP pack. */
    signals: z.array(z.string()).default([]),
    pitfalls: z.array(z.string()).default([]),
    source: z.string().min(1),
    /** A question made from the candidate's résumé (in a session only): what it asks about, and what the résumé claims. */
    resume: z
      .object({ name: z.string(), section: z.enum(['experience', 'projects']), claims: z.array(z.string()) })
      .optional()
      .openapi({
        description:
          "Only on a question made from the candidate's résumé: the project or role it asks about and the résumé's claims (it has no reference answer and is graded on the rubric only)",
      }),
  })
  .openapi('Question');
export type BankEntry = z.infer<typeof BankEntry>;

export const BankFile = z.object({
  source: z.string().min(1),
  title: z.string().optional(),
  entries: z.array(BankEntry).min(1),
});
export type BankFile = z.infer<typeof BankFile>;
