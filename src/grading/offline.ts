import { LEADERSHIP_PRINCIPLES } from '../bank/schema.js';
import { type ContentAnalysis, analyzeContent, guards, injectionSpans, StemSet } from './analysis.js';
import { aggregate, type CriterionGrade, type Flag, type Grade } from './grade.js';
import type { Criterion } from './rubrics.js';
import { contentStems, type Span, sentences, shorten } from './text.js';
import type { Grader, GradeInput, GradeResult } from './types.js';

/**
 * The offline grader: deterministic, no model. It scores each rubric criterion from what it can
 * check in the text — coverage of the reference answer's key points (with stemming and technical
 * aliases), STAR structure, specificity — quotes the sentences it used as evidence, and refuses a
 * high grade to answers caught by a guard (keyword lists, question echo, "I don't know", off-topic,
 * text addressed to the grader, contradictions of the reference).
 */
export class OfflineGrader implements Grader {
  readonly kind = 'offline' as const;
  async grade(input: GradeInput): Promise<GradeResult> {
    return { grade: gradeOffline(input) };
  }
}

interface Ctx {
  input: GradeInput;
  answer: string;
  spans: Span[];
  content: ContentAnalysis;
  flags: Flag[];
  contradiction: Span[];
}

interface Scored {
  score: number | null;
  evidence: Span[];
  feedback: string;
}

/** Levels stay fractional inside the grader: the 0–100 score keeps the detail, criteria show 1–5. */
const clampLevel = (x: number) => Math.max(1, Math.min(5, x));
const contentLevel = (c: number) => clampLevel(1 + 4 * Math.min(1, c / 0.6));

/** Sentences matching a pattern, as evidence. */
function hits(ctx: Ctx, re: RegExp): Span[] {
  return ctx.spans.filter((s) => re.test(s.text));
}
function countMatches(text: string, re: RegExp): number {
  return text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))?.length ?? 0;
}
function distinctMatches(text: string, re: RegExp): string[] {
  const all = text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)) ?? [];
  return [...new Set(all.map((m) => m.toLowerCase().trim()))];
}
/** Sentences that share the most content with the reference answer. */
function bestContentSpans(ctx: Ctx, n = 2): Span[] {
  const ref = new StemSet(ctx.content.points.flatMap((p) => p.stems));
  return ctx.spans
    .map((s) => ({ s, m: contentStems(s.text).filter((x) => ref.has(x) && !ctx.content.questionStems.has(x)).length }))
    .filter((x) => x.m >= 2)
    .sort((a, b) => b.m - a.m)
    .slice(0, n)
    .map((x) => x.s);
}

// ---------------------------------------------------------------------------------------------
// Signals in the text

const AWS_SERVICES =
  /\b(dynamodb|dax|s3|glacier|lambda|ec2|ecs|eks|fargate|rds|aurora|redshift|elasticache|redis|memcached|cloudfront|route\s?53|api gateway|sqs|sns|eventbridge|kinesis|firehose|msk|kafka|step functions|cloudwatch|x-ray|cloudtrail|iam|kms|secrets manager|parameter store|cognito|waf|shield|vpc|nat gateway|alb|nlb|elb|load balancer|auto ?scaling|codepipeline|codebuild|codedeploy|cloudformation|cdk|terraform|opensearch|elasticsearch|sagemaker|athena|glue|emr|global tables|app mesh|control tower|organizations|guardduty|config|opentelemetry|prometheus|grafana|nginx|postgres(ql)?|mysql|cassandra|mongodb|zookeeper|etcd)\b/gi;
const NUMBER_WITH_UNIT =
  /\b\d[\d,.]*\s?(%|percent|x\b|ms\b|milliseconds?|seconds?|s\b|minutes?|mins?|hours?|days?|weeks?|months?|years?|k\b|m\b|million|billion|thousand|gb|tb|pb|mb|kb|qps|rps|tps|requests?|users?|customers?|nodes?|shards?|partitions?|replicas?|instances?|regions?|azs?|times|orders?|tickets?|engineers?|people|teams?|services?|\$)|\$\s?\d[\d,.]*\s?(k|m|million|billion)?/gi;
const MECHANISM =
  /\b(because|so that|which means|this means|in order to|works by|under the hood|as a result|therefore|thus|that way|which (ensures|allows|prevents|lets|gives)|this (ensures|allows|prevents|lets|gives)|by (using|storing|replicating|partitioning|splitting|hashing|caching|routing|batching|writing|reading|checking|retrying|spreading|distributing|keeping)|if .{3,40} (fails|goes down|is lost|times out)|when .{3,40} (fails|happens|arrives|exceeds))\b/gi;
const TRADEOFF =
  /\b(trade-?offs?|however|downsides?|drawbacks?|limitations?|limits?|at the (cost|expense) of|instead of|rather than|unless|versus|vs\.?|on the other hand|whereas|only if|not suitable|caveats?|overhead|more expensive|cheaper|costs? more|the price is|in exchange|but)\b/gi;
const FAILURE =
  /\b(multi[\s-]?az|multiple (azs|availability zones)|multi[\s-]?region|cross[\s-]region|failover|fail over|retr(y|ies|ying)|backoff|idempoten\w*|circuit[\s-]breakers?|timeouts?|dead[\s-]letter|dlq|alarms?|health checks?|fallback|degrad\w*|redundan\w*|replicat\w*|backups?|restore|rollback|roll back|chaos|throttl\w*|rate limit\w*|bulkheads?)\b/gi;
const REQUIREMENTS =
  /\b(scalab\w*|reliab\w*|fast|quick(ly)?|low[\s-]latency|highly available|requirements?|functional|non-functional|scope|out of scope|assum\w*|sla|slo|availability target|latency target|p99|p95|read[\s-]heavy|write[\s-]heavy|use cases?|users? (need|want|can)|must (be|support|handle)|clarify|constraints?)\b/gi;
const CAPACITY =
  /\b(\d[\d,.]*\s?(k|m|million|billion|thousand)?\s?(qps|rps|tps|requests?|writes?|reads?|users?|events?|messages?|gb|tb|pb|mb)(\s?(per|\/)\s?(second|sec|s|day|month|minute))?|back[\s-]of[\s-]the[\s-]envelope|estimate\w*|capacity|throughput|bandwidth|storage (of|growth)|peak)\b/gi;
const DATA_MODEL =
  /\b(data model|schema|tables?|partition keys?|sort keys?|gsi|primary key|keys?|index(es)?|columns?|documents?|records?|items?|entity|entities|access patterns?|normali[sz]\w*|denormali[sz]\w*|ttl)\b/gi;
const SCALABILITY =
  /\b(cach\w*|cdn|shard\w*|partition\w*|read replicas?|replicas?|load[\s-]balanc\w*|fleet|in[\s-]memory|scale (out|up)|auto ?scal\w*|asg|horizontal\w*|queues?|async\w*|fan[\s-]?out|batch\w*|stateless|hot (key|partition)s?|consistent hashing|pre[\s-]?comput\w*|precomput\w*|edge)\b/gi;
const FLOW =
  /(->|→|\bthen\b|\bbehind\b|\bfronted by\b|\broutes? (to|through)\b|\bforwards?\b|\bcalls?\b|\bpublish\w*\b|\bconsum\w*\b|\bwrites? to\b|\breads? from\b|\bpushes\b|\btriggers?\b)/gi;

const SITUATION =
  /\b(when i was|at my (previous|last|current|first)|in my (previous|last|current|first) (role|job|team|company|position)|last (year|quarter|month)|(19|20)\d\d|our team|my team|the team|the project|a project|we were|the company|my manager|a customer|our customers?|the deadline|at the time|back then|a few (months|years) ago)\b/gi;
const TASK =
  /\b(i was responsible|my (role|job|task|goal|responsibility|objective) was|i (needed|had) to|i owned|i was (asked|tasked|assigned)|the goal was|our goal was|i was the (lead|owner|on-call)|it was my job)\b/gi;
const HYPOTHETICAL = /\b(i would|i'd|i usually|i always|i generally|i tend to|i typically)\b/gi;
const I_ACTION =
  /\bi\s+(?!(am|was|were|think|feel|believe|guess|hope|don't|do not|would|could|might|usually|always|generally)\b)[a-z]+(ed|t)?\b/gi;
const WE = /\b(we|our|us|the team)\b/gi;
const RESULT_VERB =
  /\b(reduc\w*|increas\w*|improv\w*|cut|saved?|grew|grow\w*|dropp\w*|rais\w*|lower\w*|launch\w*|shipp\w*|deliver\w*|achiev\w*|result\w*|outcome|won|recover\w*|eliminat\w*|resolv\w*|adopt\w*)\b/gi;
const REFLECTION =
  /\b(learn(ed|t)|lessons?|in hindsight|looking back|next time|do (it )?differently|since then|now i|taught me|i reali[sz]ed|changed how i|going forward|from then on|retrospective|post-?mortem|if i (did|were to do) it again)\b/gi;
const AMAZON_SPECIFIC =
  /\b(prime|aws|alexa|kindle|echo|whole foods|zappos|marketplace|two[\s-]pizza|working backwards|press release|pr\/faq|pr faq|six[\s-]page|6[\s-]pager|narratives?|bar raiser|flywheel|day 1|day one|leadership principles?|customer obsession|fulfil?l?ment centers?|kiva|go stores?|just walk out|subscribe & save|1-click|one-click|mgm|twitch|ring|project kuiper|fire phone|bezos|jassy|disagree and commit|ownership|frugality|bias for action)\b/gi;
const PERSONAL = /\b(i|my|me)\b/gi;
const EXPERIENCE =
  /\b(i (built|led|worked|shipped|launched|ran|managed|owned|used|saw|learned|noticed|started|joined|spent|helped|created|designed)|in my (role|job|team|experience|last|previous|current)|at my (company|job|previous|last))\b/gi;
const IDEAS =
  /\b(i would|i'd|we could|could|propose|suggest|introduce|add|build|launch|improve|measure|metric|a\/b test|experiment|pilot|for example|for instance|such as)\b/gi;

const PRINCIPLE_WORDS: Record<string, RegExp> = {
  'Customer Obsession': /\bcustomers?\b|\bclients?\b|\busers?\b/gi,
  Ownership: /\b(owned|owner|ownership|took (responsibility|ownership)|accountab\w*|long[\s-]term)\b/gi,
  'Invent and Simplify': /\b(simplif\w*|invent\w*|new (approach|way|idea)|automat\w*|innovat\w*)\b/gi,
  'Are Right, A Lot': /\b(judg(e)?ment|decid\w*|decision|perspectives?|was (right|wrong))\b/gi,
  'Learn and Be Curious': /\b(learn\w*|curio\w*|explor\w*|read up|studied)\b/gi,
  'Hire and Develop the Best': /\b(mentor\w*|coach\w*|hir(e|ed|ing)|develop(ed)? (them|her|him|people)|promot\w*|feedback)\b/gi,
  'Insist on the Highest Standards': /\b(standards?|quality|bar|defects?|review\w*|tests?)\b/gi,
  'Think Big': /\b(vision|bold|long[\s-]term|scale|bigger|platform)\b/gi,
  'Bias for Action': /\b(quickly|immediately|fast|speed|reversible|two[\s-]way door|calculated risk|acted)\b/gi,
  Frugality: /\b(cost|budget|saved?|cheap\w*|fewer resources|frugal\w*|\$)\b/gi,
  'Earn Trust': /\b(trust|candid\w*|transparen\w*|honest\w*|listened|admitted|apologi[sz]ed)\b/gi,
  'Dive Deep': /\b(root cause|dug|dive|logs?|data|metrics?|analy[sz]\w*|investigat\w*)\b/gi,
  'Have Backbone; Disagree and Commit': /\b(disagree\w*|pushed back|push back|challeng\w*|committed|commit)\b/gi,
  'Deliver Results': /\b(deliver\w*|deadline|on time|shipped|launched|result\w*|goal)\b/gi,
  "Strive to be Earth's Best Employer": /\b(wellbeing|well-being|inclusi\w*|morale|burnout|workload|safe|growth|support\w*)\b/gi,
  'Success and Scale Bring Broad Responsibility': /\b(privacy|safety|security|environment\w*|community|accessib\w*|ethic\w*|impact)\b/gi,
};

// ---------------------------------------------------------------------------------------------
// Criterion scorers, by criterion id

function markerLevel(count: number, steps: [number, number, number, number]): number | null {
  if (count <= 0) return null;
  if (count >= steps[3]) return 5;
  if (count >= steps[2]) return 4;
  if (count >= steps[1]) return 3;
  if (count >= steps[0]) return 2;
  return 1;
}

function blend(marker: number | null, ctx: Ctx, markerWeight = 0.6): number | null {
  const c = contentLevel(ctx.content.content);
  if (marker === null) return ctx.content.content >= 0.35 ? clampLevel(c - 1) : ctx.content.content >= 0.1 ? clampLevel(c - 1.5) : null;
  return clampLevel(markerWeight * marker + (1 - markerWeight) * c);
}

/**
 * A criterion the reference answer itself gives no example of (no mechanism, no named service,
 * no trade-off) is not held against a short answer: it is judged on content instead.
 */
function relativeToReference(ctx: Ctx, re: RegExp, scored: Scored, what: string): Scored {
  if (distinctMatches(ctx.input.referenceAnswer, re).length > 0) return scored;
  const level = ctx.content.content < 0.05 ? null : contentLevel(ctx.content.content);
  if (level === null || (scored.score !== null && scored.score >= level)) return scored;
  return {
    score: level,
    evidence: scored.evidence.length ? scored.evidence : bestContentSpans(ctx, 1),
    feedback: `${scored.feedback} (The reference answer has no ${what} either; judged on content.)`,
  };
}

function correctness(ctx: Ctx): Scored {
  const points = ctx.content.points;
  const covered = points.filter((p) => p.covered).length;
  let score: number | null = ctx.content.content < 0.05 ? null : contentLevel(ctx.content.content);
  let feedback = points.length
    ? `Covers ${covered} of ${points.length} key points of the reference answer.`
    : 'No reference answer to compare with.';
  if (ctx.contradiction.length) {
    score = Math.min(score ?? 1, 2);
    feedback += ` It contradicts the reference: "${shorten(ctx.contradiction[0]!.text, 100)}".`;
  }
  return { score, evidence: ctx.contradiction.length ? ctx.contradiction : bestContentSpans(ctx), feedback };
}

function countSpans(ctx: Ctx, re: RegExp): { n: number; ev: Span[]; found: string[] } {
  const found = distinctMatches(ctx.answer, re);
  return { n: found.length, ev: hits(ctx, new RegExp(re.source, 'i')).slice(0, 2), found };
}

const SCORERS: Record<string, (ctx: Ctx) => Scored> = {
  // technical
  correctness,
  depth: (ctx) => {
    const m = countSpans(ctx, MECHANISM);
    const score = blend(markerLevel(m.n, [1, 1, 2, 3]), ctx, 0.5);
    return relativeToReference(
      ctx,
      MECHANISM,
      {
        score,
        evidence: m.ev.length ? m.ev : bestContentSpans(ctx, 1),
        feedback: m.n
          ? `Explains how or why in ${m.n} place(s) (${m.found.slice(0, 3).join(', ')}).`
          : 'Names things without explaining how they work or why.',
      },
      'explanation of mechanism',
    );
  },
  specifics: (ctx) => {
    const services = distinctMatches(ctx.answer, AWS_SERVICES);
    const numbers = distinctMatches(ctx.answer, NUMBER_WITH_UNIT);
    const n = services.length + numbers.length;
    const ev = hits(ctx, new RegExp(`${AWS_SERVICES.source}|${NUMBER_WITH_UNIT.source}`, 'i')).slice(0, 2);
    return relativeToReference(
      ctx,
      new RegExp(`${AWS_SERVICES.source}|${NUMBER_WITH_UNIT.source}`, 'gi'),
      {
        score: blend(markerLevel(n, [1, 2, 4, 6]), ctx, 0.6),
        evidence: ev,
        feedback: n ? `Concrete: ${[...services, ...numbers].slice(0, 6).join(', ')}.` : 'No concrete service, setting, number or example.',
      },
      'named services or numbers',
    );
  },
  tradeoffs: (ctx) => {
    const m = countSpans(ctx, TRADEOFF);
    return relativeToReference(
      ctx,
      TRADEOFF,
      {
        score: markerLevel(m.n, [1, 2, 3, 4]),
        evidence: m.ev,
        feedback: m.n
          ? `Weighs alternatives or limits (${m.found.slice(0, 4).join(', ')}).`
          : 'No trade-offs, limits or alternatives discussed.',
      },
      'trade-offs',
    );
  },
  clarity: (ctx) => {
    const n = ctx.spans.length;
    const wordsPer = ctx.answer.split(/\s+/).filter(Boolean).length / Math.max(1, n);
    if (ctx.flags.includes('keyword_list')) {
      return { score: 1, evidence: ctx.spans.slice(0, 1), feedback: 'A list of keywords rather than explanation in sentences.' };
    }
    let score = n >= 3 ? 4 : n === 2 ? 3 : 2;
    if (wordsPer > 45) score -= 1;
    if (n >= 4 && wordsPer >= 8 && wordsPer <= 30 && ctx.content.content >= 0.4) score += 1;
    return {
      score: clampLevel(score),
      evidence: [],
      feedback: `${n} sentence(s), about ${Math.round(wordsPer)} words each${wordsPer > 45 ? ': long, hard to follow' : ''}.`,
    };
  },
  // system design
  requirements: (ctx) =>
    marker(ctx, REQUIREMENTS, [1, 2, 3, 5], 'States requirements or scope', 'Does not state functional or non-functional requirements.'),
  capacity: (ctx) =>
    marker(ctx, CAPACITY, [1, 2, 3, 4], 'Sizes the system', 'No capacity numbers (requests per second, data size, peak).', 0.8),
  architecture: (ctx) => {
    const services = distinctMatches(ctx.answer, AWS_SERVICES);
    const flow = countMatches(ctx.answer, FLOW);
    const level = markerLevel(services.length + Math.min(2, flow), [1, 3, 5, 7]);
    return {
      score: blend(level, ctx, 0.5),
      evidence: hits(ctx, new RegExp(AWS_SERVICES.source, 'i')).slice(0, 2),
      feedback: services.length
        ? `Components named: ${services.slice(0, 6).join(', ')}${flow ? '; describes the request flow' : '; the request flow is not described'}.`
        : 'No concrete components or request flow.',
    };
  },
  data_model: (ctx) => marker(ctx, DATA_MODEL, [1, 2, 3, 5], 'Data model', 'No data model: keys, tables and access patterns are missing.'),
  scalability: (ctx) =>
    marker(
      ctx,
      SCALABILITY,
      [1, 2, 3, 5],
      'Scaling mechanisms',
      'No concrete scaling mechanism (caching, partitioning, queues, replicas).',
    ),
  reliability: (ctx) =>
    marker(ctx, FAILURE, [1, 2, 3, 5], 'Failure handling', 'Failure modes are not discussed (AZ loss, retries, idempotency, alarms).'),
  // star
  situation_task: (ctx) => {
    const s = countSpans(ctx, SITUATION);
    const t = countSpans(ctx, TASK);
    const hypothetical = countMatches(ctx.answer, HYPOTHETICAL);
    let score = markerLevel(s.n + 2 * t.n, [1, 2, 3, 4]);
    if (score !== null && t.n === 0) score = Math.min(score, 3);
    if (hypothetical >= 2 && s.n === 0) score = 1;
    return {
      score,
      evidence: [...t.ev, ...s.ev].slice(0, 2),
      feedback:
        hypothetical >= 2 && s.n === 0
          ? 'Talks about what you would or usually do, not one real situation.'
          : score === null
            ? 'No concrete situation or responsibility.'
            : t.n
              ? 'Sets the scene and states your own responsibility.'
              : 'Sets the scene, but your own task or responsibility is not stated.',
    };
  },
  action: (ctx) => {
    const mine = countMatches(ctx.answer, I_ACTION);
    const ours = countMatches(ctx.answer, WE);
    let score = mine === 0 ? (ours ? 1 : null) : markerLevel(mine, [1, 2, 3, 5]);
    if (score !== null && ours > mine * 1.5 && mine > 0) score = Math.max(1, score - 1);
    return {
      score,
      evidence: hits(ctx, /\bI\s+[a-z]+/).slice(0, 3),
      feedback: `${mine} action(s) in the first person singular, ${ours} mention(s) of "we/our/the team"${ours > mine ? ': say what you personally did' : ''}.`,
    };
  },
  result: (ctx) => {
    const metrics = distinctMatches(ctx.answer, NUMBER_WITH_UNIT);
    const verbs = countMatches(ctx.answer, RESULT_VERB);
    const score = metrics.length >= 2 ? (verbs ? 5 : 4) : metrics.length === 1 ? (verbs ? 4 : 3) : verbs ? 2 : null;
    return {
      score,
      evidence: hits(ctx, new RegExp(`${NUMBER_WITH_UNIT.source}|${RESULT_VERB.source}`, 'i')).slice(-2),
      feedback: metrics.length
        ? `Quantified: ${metrics.slice(0, 4).join(', ')}.`
        : verbs
          ? 'Describes an outcome but puts no number on it.'
          : 'No result: how did it turn out?',
    };
  },
  leadership_principles: (ctx) => {
    const lp = principleEvidence(ctx);
    const signals = ctx.input.signals ?? [];
    const coveredSignals = ctx.content.points.filter((p) => signals.includes(p.text) && p.covered).length;
    const targeted = ctx.input.leadershipPrinciples ?? [];
    const onTarget = lp.filter((x) => targeted.includes(x.name)).length;
    const n = coveredSignals + 2 * onTarget + (targeted.length ? 0 : lp.length);
    return {
      score: markerLevel(n, [1, 2, 3, 4]),
      evidence: lp.map((x) => x.span).slice(0, 2),
      feedback: signals.length
        ? `Shows ${coveredSignals} of the ${signals.length} signals interviewers listen for${targeted.length ? ` (${targeted.join(', ')})` : ''}.`
        : lp.length
          ? `Shows ${lp.map((x) => x.name).join(', ')}.`
          : 'No behaviour that maps to a Leadership Principle.',
    };
  },
  reflection: (ctx) => {
    const m = countSpans(ctx, REFLECTION);
    return {
      score: markerLevel(m.n, [1, 1, 2, 3]) === null ? null : clampLevel(2 + m.n),
      evidence: m.ev,
      feedback: m.n ? 'Reflects on what you learned.' : 'No reflection: what did you learn, what would you do differently?',
    };
  },
  // company
  specificity: (ctx) => {
    const terms = distinctMatches(ctx.answer, AMAZON_SPECIFIC);
    return {
      score: blend(markerLevel(terms.length, [1, 2, 3, 5]), ctx, 0.5),
      evidence: hits(ctx, new RegExp(AMAZON_SPECIFIC.source, 'i')).slice(0, 2),
      feedback: terms.length ? `Amazon specifics: ${terms.slice(0, 5).join(', ')}.` : 'Generic: nothing specific to Amazon.',
    };
  },
  principles: (ctx) => {
    const named = LEADERSHIP_PRINCIPLES.filter((p) => new RegExp(p.split(/[;,]/)[0]!.replace(/\s+/g, '\\s+'), 'i').test(ctx.answer));
    return {
      score: markerLevel(named.length, [1, 1, 2, 3]),
      evidence: ctx.spans.filter((s) => named.some((p) => new RegExp(p.split(/[;,]/)[0]!, 'i').test(s.text))).slice(0, 2),
      feedback: named.length ? `Links to ${named.join(', ')}.` : 'No link to the Leadership Principles.',
    };
  },
  personal: (ctx) => {
    const experience = countSpans(ctx, EXPERIENCE);
    const personal = countMatches(ctx.answer, PERSONAL);
    const score = experience.n ? markerLevel(experience.n + 1, [1, 2, 3, 4]) : personal >= 2 ? 2 : null;
    return {
      score,
      evidence: experience.ev,
      feedback: experience.n ? 'Backs it with your own experience.' : 'Nothing from your own experience.',
    };
  },
  ideas: (ctx) => marker(ctx, IDEAS, [1, 2, 4, 6], 'Concrete ideas', 'No concrete ideas or how you would measure them.', 0.7),
};

function marker(ctx: Ctx, re: RegExp, steps: [number, number, number, number], found: string, missing: string, weight = 0.6): Scored {
  const m = countSpans(ctx, re);
  return {
    score: blend(markerLevel(m.n, steps), ctx, weight),
    evidence: m.ev,
    feedback: m.n ? `${found} (${m.found.slice(0, 4).join(', ')}).` : missing,
  };
}

function principleEvidence(ctx: Ctx): Array<{ name: string; span: Span }> {
  const out: Array<{ name: string; span: Span }> = [];
  for (const [name, re] of Object.entries(PRINCIPLE_WORDS)) {
    const span = ctx.spans.find((s) => new RegExp(re.source, 'i').test(s.text) && /\bI\b/.test(s.text));
    if (span) out.push({ name, span });
  }
  const targeted = ctx.input.leadershipPrinciples ?? [];
  return out.sort((a, b) => Number(targeted.includes(b.name)) - Number(targeted.includes(a.name))).slice(0, 4);
}

// ---------------------------------------------------------------------------------------------

export function gradeOffline(input: GradeInput): Grade {
  // Text addressed to the grader earns nothing: it is removed before the answer is scored.
  const injection = injectionSpans(input.answer);
  const scoredText = injection.reduceRight(
    (text, s) => text.slice(0, s.start) + ' '.repeat(s.end - s.start) + text.slice(s.end),
    input.answer,
  );
  const content = analyzeContent(input.question, input.referenceAnswer, scoredText, input.signals);
  const guard = guards({ question: input.question, reference: input.referenceAnswer, answer: scoredText, signals: input.signals }, content);
  const flags: Flag[] = [...(injection.length ? (['prompt_injection'] as const) : []), ...guard.flags];
  const ctx: Ctx = {
    input,
    answer: scoredText,
    spans: sentences(input.answer).filter((s) => scoredText.slice(s.start, s.end).trim() !== ''),
    content,
    flags,
    contradiction: guard.contradiction,
  };

  const raw = input.rubric.criteria.map((c: Criterion) => {
    const scored = (SCORERS[c.id] ?? correctness)(ctx);
    const score = flags.includes('dont_know') || flags.includes('off_topic') ? (scored.score === null ? null : 1) : scored.score;
    return { id: c.id, score, scored };
  });
  const criteria: CriterionGrade[] = raw.map(({ id, score, scored }) => {
    return {
      id,
      score: score === null ? null : Math.round(score),
      evidence: [...new Set(scored.evidence.map((s) => s.text))].slice(0, 3),
      feedback: scored.feedback,
    };
  });

  const weights = new Map(input.rubric.criteria.map((c) => [c.id, c.weight]));
  const { score, overall, verdict } = aggregate(raw, weights, flags, guard.completeness);

  const covered = content.points.filter((p) => p.covered);
  const missed = content.points.filter((p) => !p.covered).sort((a, b) => a.coverage - b.coverage);
  const byId = new Map(input.rubric.criteria.map((c) => [c.id, c]));
  const strengths = criteria.filter((c) => (c.score ?? 0) >= 4).map((c) => `${byId.get(c.id)!.name}: ${c.feedback}`);
  const improvements = [
    ...flagAdvice(flags),
    ...criteria
      .filter((c) => (c.score ?? 0) <= 2)
      .sort((a, b) => byId.get(b.id)!.weight - byId.get(a.id)!.weight)
      .map((c) => `${byId.get(c.id)!.name}: ${c.feedback} Aim for: ${byId.get(c.id)!.levels[5]}`),
    ...missed.slice(0, 3).map((p) => `Cover this point: ${p.text}`),
  ];

  return {
    questionId: input.questionId,
    rubricId: input.rubric.id,
    grader: { kind: 'offline' },
    score,
    overall,
    verdict,
    criteria,
    leadershipPrinciples:
      input.rubric.id === 'star' || input.category === 'behavioral' || input.category === 'company'
        ? principleEvidence(ctx).map((x) => ({ name: x.name, evidence: x.span.text }))
        : [],
    coveredPoints: covered.map((p) => p.text),
    missedPoints: missed.map((p) => p.text),
    strengths: flags.some((f) => f !== 'too_short') ? [] : strengths.slice(0, 4),
    improvements: improvements.slice(0, 6),
    flags,
  };
}

function flagAdvice(flags: Flag[]): string[] {
  const advice: Record<Flag, string> = {
    prompt_injection: 'Text addressed to the grader was ignored and cannot raise the grade.',
    off_topic: 'The answer does not address the question that was asked.',
    too_short: 'Too short to show what you know: answer in several full sentences.',
    dont_know: 'No answer given. Say what you do know and reason towards the rest.',
    keyword_list: 'A list of keywords is not an answer: explain how the pieces work together.',
    question_echo: 'The answer repeats the question instead of answering it.',
    contradicts_reference: 'Part of the answer contradicts the reference answer: check the facts.',
  };
  return flags.map((f) => advice[f]);
}
