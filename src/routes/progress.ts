import { createRoute, z } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { grades, questions, sessionQuestions, sessions } from '../db/schema.js';
import { createRouter, errors, json } from './common.js';

const Progress = z
  .object({
    points: z.array(
      z.object({
        sessionId: z.string(),
        sessionCreatedAt: z.string(),
        gradedAt: z.string(),
        questionId: z.string(),
        category: z.string(),
        rubricId: z.string(),
        score: z.number(),
      }),
    ),
  })
  .openapi('Progress');

export const progressRoutes = createRouter().openapi(
  createRoute({
    operationId: 'getProgress',
    method: 'get',
    path: '/',
    tags: ['sessions'],
    summary: 'Every graded answer over time, for progress charts by category and rubric',
    responses: { 200: json(Progress, 'Graded answers, oldest first'), ...errors(500) },
  }),
  (c) => {
    const points = c.var.deps.db
      .select({
        sessionId: grades.sessionId,
        sessionCreatedAt: sessions.createdAt,
        gradedAt: grades.createdAt,
        questionId: sessionQuestions.questionId,
        category: questions.category,
        rubricId: questions.rubricId,
        score: grades.score,
      })
      .from(grades)
      .innerJoin(sessionQuestions, eq(sessionQuestions.id, grades.sessionQuestionId))
      .innerJoin(sessions, eq(sessions.id, grades.sessionId))
      .innerJoin(questions, eq(questions.id, sessionQuestions.questionId))
      .where(eq(sessions.userId, c.var.caller.user.id))
      .orderBy(asc(sessions.createdAt), asc(grades.id))
      .all();
    return c.json({ points }, 200);
  },
);
