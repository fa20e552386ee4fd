import { and, asc, count, eq, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { questions } from '../db/schema.js';
import type { BankEntry, Category, Topic } from './schema.js';

export interface QuestionFilter {
  category?: Category;
  topic?: Topic;
  source?: string;
  q?: string;
  limit: number;
  offset: number;
}

export type QuestionRow = typeof questions.$inferSelect;

export function toEntry(row: QuestionRow): BankEntry {
  return {
    id: row.id,
    number: row.number,
    prompt: row.prompt,
    referenceAnswer: row.referenceAnswer,
    category: row.category,
    rubric: row.rubricId,
    topics: row.topics,
    leadershipPrinciples: row.leadershipPrinciples,
    signals: row.signals,
    pitfalls: row.pitfalls,
    source: row.source,
  };
}

/** LIKE with the user's text escaped, so % and _ match themselves. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export function listQuestions(db: Db, f: QuestionFilter) {
  const where: SQL[] = [];
  if (f.category) where.push(eq(questions.category, f.category));
  if (f.source) where.push(eq(questions.source, f.source));
  if (f.topic) where.push(sql`exists (select 1 from json_each(${questions.topics}) where value = ${f.topic})`);
  for (const word of (f.q ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = contains(word);
    where.push(
      or(
        sql`${questions.prompt} like ${pattern} escape '\\'`,
        sql`${questions.referenceAnswer} like ${pattern} escape '\\'`,
        sql`${questions.id} like ${pattern} escape '\\'`,
      )!,
    );
  }
  const cond = where.length ? and(...where) : undefined;
  const total = db.select({ n: count() }).from(questions).where(cond).get()?.n ?? 0;
  const rows = db
    .select()
    .from(questions)
    .where(cond)
    .orderBy(asc(questions.source), sql`${questions.number} is null`, asc(questions.number), asc(questions.id))
    .limit(f.limit)
    .offset(f.offset)
    .all();
  return { items: rows.map(toEntry), total };
}

export function getQuestion(db: Db, id: string): BankEntry | undefined {
  const row = db.select().from(questions).where(eq(questions.id, id)).get();
  return row ? toEntry(row) : undefined;
}

/** How many questions each category, topic and source has: what a client can filter by. */
export function questionFacets(db: Db) {
  const rows = (sqlText: string) => db.$client.prepare(sqlText).all() as Array<{ id: string; count: number }>;
  return {
    categories: rows('select category as id, count(*) as count from questions group by category order by category'),
    topics: rows('select j.value as id, count(*) as count from questions, json_each(questions.topics) j group by j.value order by j.value'),
    sources: rows('select source as id, count(*) as count from questions group by source order by source'),
  };
}
