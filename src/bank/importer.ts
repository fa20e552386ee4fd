import { BankError } from '../errors.js';
import { type BankEntry, type Category, LEADERSHIP_PRINCIPLES, type TOPICS } from './schema.js';

/**
 * Parses a numbered Q&A guide (such as the Amazon interview guide) into bank entries.
 *
 * The guide is text copied from a web page: a question is a line `N. text`, followed by its answer.
 * Bullet items lost their line (a lone `-` line, then the item), code lost its indentation, and
 * page furniture (`Related:` links, `Section …` headings, the closing `Conclusion:` part) sits
 * between answers. The parser removes the furniture and rebuilds Markdown lists and code fences.
 */

export interface ImportOptions {
  /** The bank's `source`; also the prefix of every id (`<source>-<number>`). */
  source: string;
}

const QUESTION_LINE = /^(\d{1,4})\.\s+(\S.*)$/;
const DEBRIS_LINE = /^(Related:|Section\s+\d+\b)/i;
const END_OF_CONTENT = /^Conclusion\s*:/i;
const LONE_DASH = /^[-–•]$/;
/** An item that stops on a word no sentence ends with was wrapped by the page. */
const WRAPPED_ITEM = /\b(a|an|the|and|or|of|to|for|with|like|such as|in|on|by|via|from|as)$/i;

export function importGuide(text: string, options: ImportOptions): BankEntry[] {
  const source = options.source.trim();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(source)) {
    throw new BankError(`--source must be lower-case letters, digits and dashes (got "${options.source}")`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.every((l) => l.trim() === '')) {
    throw new BankError('line 1: the file is empty; expected numbered questions such as "1. Why …?"');
  }

  interface Raw {
    number: number;
    prompt: string;
    line: number;
    body: string[];
  }
  const raws: Raw[] = [];
  const seen = new Map<number, number>();
  let current: Raw | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (END_OF_CONTENT.test(line) && current) break;
    if (DEBRIS_LINE.test(line)) continue;
    const q = QUESTION_LINE.exec(line);
    if (q) {
      const number = Number(q[1]);
      const first = seen.get(number);
      if (first !== undefined) {
        throw new BankError(`line ${i + 1}: question number ${number} appears twice (first at line ${first})`);
      }
      seen.set(number, i + 1);
      current = { number, prompt: (q[2] ?? '').trim(), line: i + 1, body: [] };
      raws.push(current);
      continue;
    }
    if (current) current.body.push(lines[i] ?? '');
  }

  if (raws.length === 0) {
    throw new BankError('line 1: no numbered questions found; expected lines such as "1. Why …?"');
  }

  return raws.map((raw) => {
    const referenceAnswer = toMarkdown(raw.body);
    if (referenceAnswer === '') {
      throw new BankError(`line ${raw.line}: question ${raw.number} ("${raw.prompt.slice(0, 60)}") has no answer`);
    }
    const category = classify(raw.prompt);
    return {
      id: `${source}-${raw.number}`,
      number: raw.number,
      prompt: raw.prompt,
      referenceAnswer,
      category,
      rubric: RUBRIC_OF[category],
      topics: tagTopics(raw.prompt, referenceAnswer, category),
      leadershipPrinciples: tagPrinciples(raw.prompt, referenceAnswer, category),
      signals: [],
      pitfalls: [],
      source,
    } satisfies BankEntry;
  });
}

// ---------------------------------------------------------------------------------------------
// Markdown reconstruction

type Block = { kind: 'para'; text: string } | { kind: 'item'; text: string } | { kind: 'code'; lang: string; lines: string[] };

/** A line that is prose, not code: several words, no code punctuation. */
function isProse(line: string): boolean {
  if (/[{}=;()[\]"']|::|^\s*[-#@]/.test(line)) return false;
  const words = line.trim().split(/\s+/);
  if (!/^[A-Z]/.test(line.trim())) return false;
  return /[.!?]$/.test(line.trim()) ? words.length >= 2 : words.length >= 7;
}

/** Whether a line can open a code block (after a line that ends with a colon). */
function opensCode(line: string): boolean {
  const t = line.trim();
  if (isProse(t)) return false;
  return (
    /^[{[]/.test(t) ||
    /^(import|from)\s+\w/.test(t) ||
    /^(def|class)\s+\w/.test(t) ||
    /^#\s*\S/.test(t) ||
    /^@\w/.test(t) ||
    /^(resource|provider|variable|module|data|output)\s+"/.test(t) ||
    /^(aws|kubectl|curl|docker|terraform|npm|pip)\s+[a-z-]/.test(t) ||
    /^[A-Za-z_][\w.]*\s*=\s*\S/.test(t) ||
    /^[A-Za-z_][\w.]*\(.*$/.test(t) ||
    /^[A-Za-z_][\w-]*:(\s+[^\s]+)?$/.test(t)
  );
}

function languageOf(first: string, all: string[]): string {
  const t = first.trim();
  if (/^[{[]/.test(t)) return 'json';
  if (/^(resource|provider|variable|module|data|output)\s+"/.test(t)) return 'hcl';
  if (/^(aws|kubectl|curl|docker|terraform|npm|pip)\s/.test(t)) return 'shell';
  if (all.some((l) => /^(import|from|def|class)\s|^@\w|^#/.test(l.trim()) || /^\w+\s*=\s*\w+\.\w+\(/.test(l.trim()))) {
    return 'python';
  }
  if (/^[A-Za-z_][\w-]*:/.test(t)) return 'yaml';
  return '';
}

function bracketDepth(line: string): number {
  const unquoted = line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '');
  return (unquoted.match(/[{[]/g)?.length ?? 0) - (unquoted.match(/[}\]]/g)?.length ?? 0);
}

function toMarkdown(body: string[]): string {
  const lines = body.map((l) => l.trim()).filter((l) => l !== '');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const prev = i > 0 ? (lines[i - 1] as string) : '';
    const last = blocks.at(-1);

    if (LONE_DASH.test(line)) {
      const item = lines[i + 1];
      if (item !== undefined && !LONE_DASH.test(item)) {
        blocks.push({ kind: 'item', text: item });
        i++;
      }
      continue;
    }
    if (/^[-•]\s+\S/.test(line)) {
      blocks.push({ kind: 'item', text: line.replace(/^[-•]\s+/, '') });
      continue;
    }
    // A bullet item the page wrapped mid-sentence: "…HTTP headers like" / "ETag, Cache-Control …".
    if (last?.kind === 'item' && WRAPPED_ITEM.test(last.text) && !opensCode(line)) {
      last.text = `${last.text} ${line}`;
      continue;
    }
    if (/:$/.test(prev) && opensCode(line)) {
      const code: string[] = [line];
      // Bracketed snippets (JSON, HCL) end where their brackets balance; others at the next prose.
      const bracketed = /[{[]\s*$/.test(line);
      let depth = bracketDepth(line);
      while (i + 1 < lines.length) {
        const next = lines[i + 1] as string;
        if (bracketed && depth <= 0) break;
        if (isProse(next) || QUESTION_LINE.test(next) || LONE_DASH.test(next)) break;
        depth += bracketDepth(next);
        code.push(next);
        i++;
      }
      blocks.push({ kind: 'code', lang: languageOf(line, code), lines: code });
      continue;
    }
    blocks.push({ kind: 'para', text: line });
  }

  const out: string[] = [];
  blocks.forEach((b, idx) => {
    const prevKind = idx > 0 ? blocks[idx - 1]?.kind : undefined;
    if (b.kind === 'item') {
      if (prevKind !== undefined && prevKind !== 'item') out.push('');
      out.push(`- ${b.text}`);
    } else if (b.kind === 'code') {
      if (idx > 0) out.push('');
      out.push(`\`\`\`${b.lang}`, ...b.lines, '```');
    } else {
      if (idx > 0) out.push('');
      out.push(b.text);
    }
  });
  return out.join('\n').trim();
}

// ---------------------------------------------------------------------------------------------
// Classification

const RUBRIC_OF: Record<Category, BankEntry['rubric']> = {
  company: 'company',
  behavioral: 'star',
  technical: 'technical',
  coding: 'coding',
  system_design: 'system-design',
};

const DESIGN =
  /^(design\b|how would you design\b|describe how you would (scale|design|build|architect)\b|how would you (architect|build) a (system|service|platform))/i;
const BEHAVIORAL =
  /^(describe a time|tell me about a time|give (me )?an example of a time|describe a situation|tell me about a situation)/i;
const MOTIVATION = /^(why do you want|why amazon|what do you know about|what motivates|why should we)/i;
const COMPANY_SUBJECT = /\b(amazon|amazon['’]s)\b/i;
const COMPANY_THEME =
  /\b(leadership principles?|customer (experience|obsession)|flywheel|innovation|innovate|competition|acquisitions?|culture|vision|strategy|efficiency|experimentation|work at)\b/i;
const TECH_TERM =
  /\b(aws|dynamodb|s3|lambda|ec2|ecs|eks|rds|aurora|api|cloud|ci\/cd|deploy\w*|system|systems|data|database\w*|cach\w*|latency|microservices?|infrastructure|network\w*|secur\w*|kubernetes|containers?|vpc|shard\w*|consistency|scal(e|ing) (up|out)|monitor\w*|logs?)\b/i;

export function classify(prompt: string): Category {
  if (DESIGN.test(prompt)) return 'system_design';
  if (BEHAVIORAL.test(prompt)) return 'behavioral';
  if (MOTIVATION.test(prompt)) return 'company';
  if (COMPANY_SUBJECT.test(prompt) && COMPANY_THEME.test(prompt) && !TECH_TERM.test(prompt)) {
    return 'company';
  }
  return 'technical';
}

type Topic = (typeof TOPICS)[number];
const TOPIC_TERMS: Record<Topic, RegExp> = {
  dynamodb: /\bdynamo(db)?\b|\bdax\b/gi,
  s3: /\bs3\b|\bglacier\b/gi,
  lambda: /\blambda\b/gi,
  consistency: /\b(eventual|strong|read-after-write)\w* consisten\w*|\bconsistency\b|\bexactly-once\b|\bidempoten\w*/gi,
  caching: /\bcach\w*|\belasticache\b|\bredis\b|\bmemcached\b|\bcloudfront\b|\bcdn\b/gi,
  messaging: /\bsqs\b|\bsns\b|\beventbridge\b|\bqueues?\b|\bpub\/sub\b|\bevent-driven\b/gi,
  security: /\bsecur\w*|\biam\b|\bencrypt\w*|\bkms\b|\bsecrets?\b|\bauthori[sz]\w*|\bauthenticat\w*|\bleast privilege\b/gi,
  observability: /\bmonitor\w*|\bcloudwatch\b|\bx-ray\b|\btrac(e|es|ing)\b|\bmetrics?\b|\blogs?\b|\blogging\b|\bobservab\w*|\balarms?\b/gi,
  deployment: /\bdeploy\w*|\bci\/cd\b|\bcodepipeline\b|\bcodedeploy\b|\bblue\/green\b|\bcanary\b|\brollback\b/gi,
  networking: /\bvpc\b|\bsubnets?\b|\broute 53\b|\bdns\b|\bload balanc\w*|\balb\b|\bnlb\b|\bnetwork\w*/gi,
  containers: /\bcontainers?\b|\becs\b|\beks\b|\bfargate\b|\bkubernetes\b|\bdocker\b/gi,
  databases: /\bdatabases?\b|\baurora\b|\brds\b|\bschema\b|\bsql\b|\bmysql\b|\bshard\w*|\breplica\w*/gi,
  scaling: /\bscal(e|es|ing|able|ability)\b|\bautoscal\w*|\bauto scaling\b|\bthroughput\b|\bhigh-concurrency\b|\bqps\b/gi,
  resilience:
    /\bfault[- ]toleran\w*|\bhigh availability\b|\bhighly available\b|\bdisaster recovery\b|\bfailover\b|\bretr(y|ies)\b|\bbackoff\b|\bcircuit[- ]breaker\b|\bchaos\b|\bresilien\w*|\bmulti-az\b|\bredundan\w*/gi,
  serverless: /\bserverless\b|\bfargate\b|\bstep functions\b/gi,
  streaming: /\bkinesis\b|\bstream(s|ing)?\b|\breal-time\b|\bkafka\b|\bmsk\b/gi,
  'infrastructure-as-code': /\binfrastructure as code\b|\biac\b|\bcloudformation\b|\bterraform\b|\bcdk\b/gi,
  'api-design': /\bapis?\b|\bapi gateway\b|\brest\b|\brate limit\w*|\bthrottl\w*/gi,
  leadership: /\bleadership principles?\b|\bownership\b|\bbias for action\b|\bdisagree and commit\b|\bbar raiser\b/gi,
  strategy: /\bstrateg\w*|\bflywheel\b|\bacquisitions?\b|\bcompetit\w*|\blong-term\b|\bvision\b|\binnovation\b/gi,
  customer: /\bcustomers?\b|\bcustomer experience\b|\bcustomer obsession\b/gi,
};
const COMPANY_TOPICS = new Set<Topic>(['leadership', 'strategy', 'customer']);

/** Topics named in the prompt, then the ones the answer dwells on (three mentions or more). */
export function tagTopics(prompt: string, answer: string, category: Category): Topic[] {
  const scored: Array<{ topic: Topic; score: number }> = [];
  for (const [topic, re] of Object.entries(TOPIC_TERMS) as Array<[Topic, RegExp]>) {
    const businessTopic = COMPANY_TOPICS.has(topic);
    if (businessTopic !== (category === 'company' || category === 'behavioral')) continue;
    const inPrompt = prompt.match(re)?.length ?? 0;
    const inAnswer = answer.replace(/```[\s\S]*?```/g, '').match(re)?.length ?? 0;
    const score = inPrompt * 10 + inAnswer;
    if (inPrompt > 0 || inAnswer >= 3) scored.push({ topic, score });
  }
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, 4)
    .map((s) => s.topic);
}

const PRINCIPLE_TERMS: Array<[(typeof LEADERSHIP_PRINCIPLES)[number], RegExp]> = [
  ['Customer Obsession', /customer obsess\w*|customer-centric|customer experience/i],
  ['Ownership', /\bownership\b|\baccountab\w*|long-term thinking/i],
  ['Invent and Simplify', /invent and simplify|\binnovat\w*|\bexperiment\w*/i],
  ['Are Right, A Lot', /are right,? a lot|\bjudg(e)?ment\b/i],
  ['Learn and Be Curious', /learn and be curious|\bcurio\w*/i],
  ['Hire and Develop the Best', /hire and develop|bar raiser/i],
  ['Insist on the Highest Standards', /highest standards|operational excellence/i],
  ['Think Big', /think big|long-term vision|\bbold\b/i],
  ['Bias for Action', /bias for action|\burgency\b/i],
  ['Frugality', /\bfrugal\w*|lowering the cost|lower prices/i],
  ['Earn Trust', /earn trust|\btransparen\w*/i],
  ['Dive Deep', /dive deep|root cause/i],
  ['Have Backbone; Disagree and Commit', /disagree and commit|have backbone/i],
  ['Deliver Results', /deliver results|\bdeliver(ed|ing)? on\b/i],
  ["Strive to be Earth's Best Employer", /best employer/i],
  ['Success and Scale Bring Broad Responsibility', /broad responsibility/i],
];

/** Leadership Principles for company and behavioural questions; technical ones have none. */
export function tagPrinciples(prompt: string, answer: string, category: Category) {
  if (category !== 'company' && category !== 'behavioral') return [];
  const text = `${prompt}\n${answer}`;
  return PRINCIPLE_TERMS.filter(([, re]) => re.test(text)).map(([name]) => name);
}
