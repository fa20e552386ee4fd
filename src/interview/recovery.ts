import type { TurnRunner } from './turns.js';

/** The longest wait between two recovery rounds while the database fails. */
const RECOVERY_BACKOFF_MAX_MS = 30_000;

/**
 * Keeps recovering, for turns another process (or a previous run of this one) left behind. A
 * failure to reach the database never escapes: it is reported and tried again later, the wait
 * doubling up to RECOVERY_BACKOFF_MAX_MS, and back to `everyMs` once it works. Returns the stop.
 */
export function keepRecovering(
  turns: Pick<TurnRunner, 'recover'>,
  everyMs: number,
  onError: (sessionId: string, e: unknown) => void = () => {},
  onFailure: (e: unknown, retryInMs: number) => void = () => {},
): () => void {
  let stopped = false;
  let delay = everyMs;
  let timer: NodeJS.Timeout;
  const tick = async () => {
    try {
      await turns.recover(onError, false);
      delay = everyMs;
    } catch (e) {
      delay = Math.min(RECOVERY_BACKOFF_MAX_MS, delay * 2);
      onFailure(e, delay);
    }
    if (!stopped) (timer = setTimeout(tick, delay)).unref();
  };
  (timer = setTimeout(tick, everyMs)).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
