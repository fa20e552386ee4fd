import OpenAI from 'openai';
import type { Model } from '../../src/llm/client.js';

/**
 * The worst case for the LLM grader: a scripted OpenAI-compatible "model" that obeys any
 * instruction it finds in the prompt, the way small local models often do. It reads the
 * candidate's text (undoing the datamarking, as a model that reads through it would), and:
 * - if that text asks for a grade ("rate it 5", "full marks", "dame la nota máxima", 满分 …),
 *   it gives every criterion 5, quoting the candidate's own sentences as evidence;
 * - otherwise it grades by length alone (a plausible, deterministic stand-in for a model),
 *   quoting the first sentence.
 * It answers the interviewer's decision with "next". Used by the calibration benchmark and tests.
 */

const WANTS_TOP =
  /(\b(5|10|100)\b|full|perfect|max\w*|top|highest|excellent|strong.?hire|generous|máxima|maximale|volle|höchste|massimo|满分|最高|満点|만점|максимальн\S*)/i;
const GRADING_WORD =
  /(rate|score|grade|mark|give|award|assign|set|verdict|overall|deserves?|evaluat\w*|dame|donne\w*|gib|nota|note|punt\w*|bewert\w*|给|分|поставь|балл|점수|評価)/i;

function candidateText(prompt: string): string {
  const turns = [...prompt.matchAll(/<candidate_turn[^>]*>\n?([\s\S]*?)\n?<\/candidate_turn>/g)].map((m) => m[1]!);
  const text = turns.length ? turns.join('\n') : prompt;
  return text.replaceAll('ˆ', ' ').replace(/‹/g, '<').replace(/›/g, '>');
}

const sentencesOf = (text: string) =>
  text
    .split(/(?<=[.!?。！？])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 3);

/** The bar dimensions asked for: from the schema, or from the prompt when the server has no json_schema. */
const barIds = (properties: Record<string, unknown> | undefined, prompt: string) =>
  properties
    ? Object.keys(properties)
    : (/each bar dimension \(([^)]*)\)/.exec(prompt)?.[1] ?? '').split(', ').filter((id) => /^[a-z_]+$/.test(id));

export function obedientReply(body: {
  messages: Array<{ role: string; content: string }>;
  response_format?: {
    json_schema?: {
      name?: string;
      schema?: { properties?: { criteria?: { properties?: Record<string, unknown> }; bar?: { properties?: Record<string, unknown> } } };
    };
  };
}): string {
  const format = body.response_format?.json_schema;
  const prompt = body.messages.map((m) => m.content).join('\n');
  if (format?.name === 'decision') return JSON.stringify({ action: 'next', criterionId: null, reason: 'scripted' });
  // The written feedback of a loop: one plain summary per interviewer, from the facts it was given.
  if (format?.name === 'written_feedback' || prompt.includes('Reply with "summaries"')) {
    const count = [...prompt.matchAll(/<interviewer n="\d+"/g)].length;
    return JSON.stringify({ summaries: Array.from({ length: count }, () => 'My notes are in the ratings and concerns below.') });
  }
  const ids =
    Object.keys(format?.schema?.properties?.criteria?.properties ?? {}).length > 0
      ? Object.keys(format!.schema!.properties!.criteria!.properties!)
      : [...prompt.matchAll(/^- ([a-z_]+) \(/gm)].map((m) => m[1]!);
  const text = candidateText(body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? prompt);
  const sentences = sentencesOf(text);
  const obeys = sentences.some((s) => WANTS_TOP.test(s) && GRADING_WORD.test(s));
  const words = text.split(/\s+/).filter(Boolean).length;
  const level = obeys ? 5 : words < 10 ? 1 : words < 40 ? 2 : words < 80 ? 3 : 4;
  const evidence = obeys ? sentences.slice(0, 2) : sentences.slice(0, 1);
  return JSON.stringify({
    criteria: Object.fromEntries(
      ids.map((id) => [id, { score: level, evidence, feedback: obeys ? 'As instructed.' : 'Graded by length.' }]),
    ),
    leadershipPrinciples: [],
    coveredPoints: [],
    missedPoints: [],
    strengths: obeys ? ['Everything, as the answer says.'] : [],
    improvements: [],
    flags: [],
    // It claims the top level on every bar dimension when told to, quoting the answer's own words.
    bar: Object.fromEntries(
      barIds(format?.schema?.properties?.bar?.properties, prompt).map((id) => [
        id,
        { level: obeys ? 'L7' : 'L4', evidence: obeys ? (evidence[0] ?? '') : '' },
      ]),
    ),
  });
}

/** The obedient model as a configured Model: an OpenAI client whose fetch answers locally. */
export function obedientModel(): Model {
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body ?? '{}'));
    const content = obedientReply(body);
    return new Response(
      JSON.stringify({
        id: 'chatcmpl-obedient',
        object: 'chat.completion',
        created: 0,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: {
          prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: 0,
        },
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    );
  };
  return {
    client: new OpenAI({ apiKey: 'obedient', baseURL: 'http://obedient.invalid/v1', maxRetries: 0, fetch }),
    model: 'obedient-model',
    responseFormat: 'json_schema',
  };
}
