import { createSandbox } from './coding/sandbox/index.js';
import { CodingRound } from './interview/coding-round.js';
import { codingEntries } from './coding/bank.js';
import { codingPack } from './coding/pack.js';
import { fileURLToPath } from 'node:url';
import { Accounts } from './accounts/accounts.js';
import { Bank } from './bank/bank.js';
import { readBankDir } from './bank/load.js';
import { loadConfig, readEnv } from './config.js';
import { openStore } from './db/open.js';
import { checkScorers } from './grading/offline/scorers/index.js';
import { loadRubrics } from './grading/rubrics.js';
import { interviewers } from './interview/plan.js';
import { vocabulary } from './grading/vocabulary.js';
import { createGrader } from './grading/service.js';
import { LlmInterviewer, OfflineInterviewer } from './interview/interviewer.js';
import { InterviewLoop } from './interview/loop.js';
import { BankError } from './errors.js';
import { createModel } from './llm/client.js';
import { createModelProbe } from './llm/probe.js';
import { createLogger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { modelObserver } from './observability/model-calls.js';
import { createTracing, type SpanProcessor } from './observability/tracing.js';
import { errorFields } from './observability/error-fields.js';
import type { Deps } from './types.js';
import { VERSION } from './version.js';
import { modelTailor } from './tailor/model.js';
import { tailorKeywords, tailorOffline } from './tailor/offline.js';
import { RESUME_ENTRY } from './tailor/questions.js';
import type { Tailor } from './tailor/schema.js';
import { Recordings } from './voice/recordings.js';
import { Speaker } from './voice/speech.js';
import { Transcriber } from './voice/transcribe.js';

export const RUBRICS_DIR = fileURLToPath(new URL('../rubrics', import.meta.url));

/**
 * Start-up: read config, rubrics, the grader's vocabulary and bank (each validated, each failure a clear message), and
 * open the store (which applies migrations and loads the bank; `deps.store.ready` says when).
 * Log lines go to `options.log` when given (a test), else to stdout (readable in a terminal);
 * spans to `options.spanProcessors` when given (an in-memory exporter), else to
 * OTEL_EXPORTER_OTLP_ENDPOINT when set.
 */
export function start(
  env: Record<string, string | undefined> = readEnv(),
  options: { log?: (line: string) => void; now?: () => Date; spanProcessors?: SpanProcessor[] } = {},
): Deps {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.log.level, write: options.log, pretty: !options.log && process.stdout.isTTY });
  const rubrics = loadRubrics(RUBRICS_DIR);
  checkScorers(rubrics.values());
  // The grader's vocabulary is data too: a broken entry stops start-up naming it, not the first grade.
  vocabulary();
  interviewers();
  const pack = codingPack();
  const entries = [...readBankDir(), ...codingEntries(pack)];
  for (const e of entries) {
    if (!rubrics.has(e.rubric)) throw new BankError(`bank question ${e.id}: rubric "${e.rubric}" has no rubrics/${e.rubric}.yaml`);
  }
  const tracing = createTracing({ endpoint: config.tracing.endpoint, processors: options.spanProcessors, version: VERSION, logger });
  tailorKeywords();
  // The generic résumé question is in the questions table (sessions' questions refer to it), not in the bank a loop draws from.
  const store = openStore(config.database, [...entries, RESUME_ENTRY], tracing?.tracer);
  // One client for the grader and the interviewer.
  const metrics = config.metrics.enabled ? createMetrics({ poolUse: store.poolUse?.bind(store) }) : undefined;
  const observer = modelObserver({
    logger,
    provider: config.provider,
    metrics,
    tracer: tracing?.tracer,
    captureContent: config.tracing.captureContent,
  });
  const llm = config.provider === 'openai' ? createModel(config.openai, observer) : undefined;
  const grader = createGrader(config, config.provider, llm);
  const interviewer = llm ? new LlmInterviewer(llm) : new OfflineInterviewer();
  const bank = new Bank(entries);
  const tailor: Tailor = llm ? modelTailor(llm, entries, logger) : async (input) => ({ tailoring: tailorOffline(input, entries) });
  const accounts = new Accounts(store, options.now);
  const now = options.now ?? (() => new Date());
  // Workers start on a language's first run, not here.
  const sandbox = createSandbox(config.sandbox);
  const coding = new CodingRound({ store, pack, sandbox, now });
  const loop = new InterviewLoop({
    store,
    bank,
    rubrics,
    grader,
    interviewer,
    provider: config.provider,
    model: llm?.model ?? null,
    turnTimeoutMs: config.openai.timeoutMs,
    leaseMs: config.turnLeaseMs,
    now: options.now,
    logger,
    meter: metrics && {
      turn: (kind, outcome, seconds) => metrics.turnDuration.observe({ kind, outcome }, seconds),
      recovered: () => metrics.recoveries.inc(),
    },
    // Recorded after the turn, never in its way: a database failing at that moment loses the count
    // (logged), not the process, which a rejected promise left unhandled would end.
    onUsage: (userId, usage) =>
      void accounts
        .addUsage(userId, usage)
        .catch((e: unknown) => logger.warn({ event: 'usage_not_recorded', user: userId, error: errorFields(e) }, 'usage not recorded')),
    coding,
    tailor,
    tracer: tracing?.tracer,
  });
  const recordings = new Recordings({
    store,
    bank,
    rubrics,
    transcriber: config.voice.transcription ? new Transcriber(config.voice.transcription, config.openai, observer) : undefined,
    voice: config.voice,
    timeoutMs: config.openai.timeoutMs,
    now: options.now,
  });
  const speaker = config.voice.speech ? new Speaker(config.voice.speech, config.openai) : undefined;
  return {
    config,
    store,
    bank,
    rubrics,
    grader,
    loop,
    coding,
    sandbox,
    llm,
    modelProbe: llm && createModelProbe(llm),
    accounts,
    recordings,
    speaker,
    logger,
    metrics,
    tracing,
    now,
  };
}
