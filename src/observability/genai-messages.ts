/**
 * A model call's prompt and reply in the shape of the OpenTelemetry GenAI conventions'
 * `gen_ai.input.messages` and `gen_ai.output.messages`: each message a role and its parts
 * (`{ type: 'text', content }`), a reply also its finish reason. Only ever on a span, and only
 * when the operator asks for content (OTEL_CAPTURE_CONTENT).
 */
interface Part {
  type: string;
  content?: string;
}

/** OpenAI's chat messages (a string, or a list of typed parts) as the conventions' input messages. */
export function inputMessages(messages: unknown): Array<{ role: string; parts: Part[] }> {
  if (!Array.isArray(messages)) return [];
  return messages.map((m: { role?: unknown; content?: unknown }) => ({ role: String(m.role), parts: partsOf(m.content) }));
}

/** The reply as the conventions' output messages; a reply that never finished (a dropped stream) ends with `error`. */
export function outputMessages(reply: string, finishReasons: string[] | undefined) {
  return [{ role: 'assistant', parts: partsOf(reply), finish_reason: finishReasons?.[0] ?? 'error' }];
}

function partsOf(content: unknown): Part[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  // Text is kept; any other part (an image, an audio clip) is named by its type only.
  return content.map((p: { type?: unknown; text?: unknown }) =>
    p.type === 'text' && typeof p.text === 'string' ? { type: 'text', content: p.text } : { type: String(p.type) },
  );
}
