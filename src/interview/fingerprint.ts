import { createHash } from 'node:crypto';

/**
 * What an Idempotency-Key stands for: the turn's input, hashed. The same key sent again with
 * another input is refused; with the same input, it gets the stored result.
 */
export const fingerprintOf = (req: {
  action: string;
  text?: string;
  position?: number;
  replyTo?: number;
  recordingId?: string;
  speech?: unknown;
}) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        req.action,
        req.text ?? null,
        req.position ?? null,
        req.replyTo ?? null,
        req.recordingId ?? null,
        req.speech ?? null,
      ]),
    )
    .digest('hex');
