import { createRoute, z } from '@hono/zod-openapi';
import { LANGUAGES } from '../coding/types.js';
import { reserveBudget } from '../middleware/limits.js';
import { codeRunView, CodeRunView } from '../interview/coding-view.js';
import type { Deps } from '../types.js';
import { createRouter, errors, json } from './common.js';

const tags = ['coding'];
/** The most code a run takes: far above any solution of the pack, far below what would burden a worker. */
export const MAX_CODE_CHARS = 50_000;
/** A sandbox run's cost against a monthly token budget (BUDGET_TOKENS_PER_MONTH), like a model call's tokens. */
export const RUN_BUDGET_TOKENS = 200;

const Id = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The session id' }) });
const RunCode = z
  .object({
    language: z.enum(LANGUAGES as ['javascript', 'python']),
    code: z.string().min(1, 'The code is empty').max(MAX_CODE_CHARS, `The code is longer than ${MAX_CODE_CHARS} characters`),
  })
  .strict()
  .openapi('RunCode');

const route = (kind: 'run' | 'submit') =>
  createRoute({
    operationId: kind === 'run' ? 'runCode' : 'submitCode',
    method: 'post',
    path: `/{id}/code/${kind}`,
    tags,
    summary:
      kind === 'run'
        ? "Run the candidate's code against the current coding problem's visible tests, in the sandbox"
        : "Submit the candidate's code: every test, hidden ones included (their inputs stay hidden), and its growth measured",
    request: { params: Id, body: { content: { 'application/json': { schema: RunCode } }, required: true } },
    responses: {
      200: json(z.object({ run: CodeRunView }), 'The run, judged and stored'),
      ...errors(
        [400, 'Bad body'],
        403,
        [404, 'No such session'],
        [409, 'The current question is not a coding problem being asked'],
        429,
        [503, 'Every sandbox worker is busy: try again'],
        500,
      ),
    },
  });

/**
 * The coding round's two buttons. A run costs sandbox time: it is rate-limited with the model
 * requests and counted in the monthly budget when there is one.
 */
export const codeRoutes = createRouter()
  .openapi(route('run'), async (c) => {
    const run = await runCode(c.var.deps, c.var.caller.user.id, c.req.valid('param').id, c.req.valid('json'), 'run');
    return c.json({ run }, 200);
  })
  .openapi(route('submit'), async (c) => {
    const run = await runCode(c.var.deps, c.var.caller.user.id, c.req.valid('param').id, c.req.valid('json'), 'submit');
    return c.json({ run }, 200);
  });

async function runCode(deps: Deps, userId: string, sessionId: string, body: z.infer<typeof RunCode>, kind: 'run' | 'submit') {
  const release = await reserveBudget(deps, userId, true);
  try {
    const run = await deps.coding.run(sessionId, userId, kind, body);
    await deps.accounts.addUsage(userId, { promptTokens: RUN_BUDGET_TOKENS, completionTokens: 0 });
    const runs = await deps.coding.runsOf(sessionId, { id: run.sessionQuestionId });
    return codeRunView(run, runs.length, false);
  } finally {
    await release();
  }
}
