import { distinctMatches } from './matching.js';
import { ACCOUNTABILITY, CHANGE_AFTER, SETBACK } from './lexicon.js';

/**
 * What a behavioural question is about, and what a story on that theme talks about. Every
 * Leadership Principle has a theme, and some questions call for one by their words ("a time you
 * failed"). A story is judged against the question's themes; a story that fits another theme
 * well and the question's hardly at all answers another question (`off_theme`), and the card
 * names a question it would fit.
 */
export interface Theme {
  id: string;
  /** Words in the question that call for this theme. */
  asks: RegExp;
  /** The Leadership Principles whose questions are on this theme. */
  principles: string[];
  /** A question on this theme: where a story that fits it belongs. */
  example: string;
  /**
   * Facets of a story on the theme; each one found is one signal. A `setting` facet (the person,
   * the customer, the goal) sets the scene any story may have: it does not by itself show the theme.
   */
  facets: Array<{ name: string; re: RegExp; setting?: true }>;
  /** Facets almost any work story touches (something went wrong, a goal, a user): not enough alone to say a story is about this. */
  broad?: boolean;
}

export const THEMES: Theme[] = [
  {
    id: 'failure',
    broad: true,
    asks: /\b(fail\w*|mistakes?|wrong|missed|miss|errors?|setbacks?|went badly|regret\w*|weakness\w*|criticism|goal you did not|didn't go)\b/i,
    // Owning a mistake is Ownership as much as taking on what nobody owned.
    principles: ['Ownership'],
    example: 'Tell me about a time you made a mistake that affected others. What did you do?',
    facets: [
      { name: 'what went wrong', re: SETBACK },
      { name: 'own accountability', re: ACCOUNTABILITY },
      { name: 'what changed after', re: CHANGE_AFTER },
    ],
  },
  {
    id: 'conflict',
    asks: /\b(disagree\w*|conflicts?|push(ed)? back|challeng\w*|difficult (colleague|person|stakeholder|manager)|argu\w*|committed to a decision)\b/i,
    principles: ['Have Backbone; Disagree and Commit'],
    example: 'Tell me about a time you strongly disagreed with your manager or a senior leader.',
    facets: [
      {
        name: 'the disagreement',
        re: /\b(disagree\w*|conflicts?|pushed back|push back|objected|concerns?|argu\w*|debat\w*|opposed|challeng\w*|did not agree|didn't agree)\b/gi,
      },
      {
        name: 'how it was argued',
        re: /\b(data|evidence|prototype|numbers|metrics?|analysis|experiment|benchmark|convinc\w*|persuad\w*|listened|understood (their|his|her))\b/gi,
      },
      {
        name: 'how it was resolved',
        re: /\b(agreed|compromise|commit\w*|decided|escalat\w*|aligned|resolved|went with|changed (my|their|his|her) mind)\b/gi,
      },
    ],
  },
  {
    id: 'customer',
    broad: true,
    asks: /\b(customers?|clients?|users?)\b/i,
    principles: ['Customer Obsession'],
    example: 'Tell me about a time you used customer feedback to change a product or process you owned.',
    facets: [
      { name: 'the customer', setting: true, re: /\b(customers?|clients?|users?|buyers?|sellers?|shoppers?|patients?)\b/gi },
      {
        name: 'what they needed',
        re: /\b(needs?|needed|feedback|complain\w*|requests?|pain( points?)?|asked for|interview\w*|survey\w*|tickets?|nps|churn\w*|satisf\w*|frustrat\w*)\b/gi,
      },
    ],
  },
  {
    id: 'people',
    asks: /\b(grow|develop|mentor\w*|coach\w*|hire|hiring|feedback to|bigger role|team member)\b/i,
    principles: ['Hire and Develop the Best'],
    example: 'Tell me about a time you helped someone on your team grow into a bigger role.',
    facets: [
      {
        name: 'the person',
        setting: true,
        re: /\b(he|she|him|her|his|a (junior|senior|new|young) (engineer|developer|dev|hire|colleague|teammate|analyst|designer|pm|manager)|my (report|mentee|peer)|a (colleague|peer|teammate|new hire|report)|an intern)\b/gi,
      },
      {
        name: 'the conversation',
        re: /\b(feedback|privately|in private|one-on-ones?|1:1s?|told (him|her|them) (directly|honestly|straight)|talked (to|with) (him|her)|specific examples|defensive|hard conversation|difficult conversation|followed up)\b/gi,
      },
      {
        name: 'the support',
        re: /\b(mentor\w*|coach\w*|pair\w*|sponsor\w*|promot\w*|stretch|delegat\w*|taught|gave (him|her|them) (the|a|ownership))\b/gi,
      },
      {
        name: 'their growth',
        re: /\b(promot\w*|grew into|growth|independent\w*|(she|he|they) (now )?(leads?|led|owns?|owned|runs?|ran|presented)|took over|new scope|bigger role|confidence)\b/gi,
      },
    ],
  },
  {
    id: 'speed',
    asks: /\b(quickly|fast|urgent|without waiting|incomplete|unblock\w*|stuck|pressure|tight)\b/i,
    principles: ['Bias for Action'],
    example: 'Tell me about a time you acted quickly without waiting for all the information.',
    facets: [
      {
        name: 'the time pressure',
        re: /\b(deadline|within (hours|a day|days)|urgent\w*|quickly|immediately|right away|that (day|night|afternoon)|launch date|time pressure|stuck|blocked|waiting)\b/gi,
      },
      {
        name: 'the call under uncertainty',
        re: /\b(risks?|reversible|two-way door|assum\w*|incomplete|without (all|full|waiting)|decided|trade-?off|prioriti\w*|calculated|roll ?back plan|could undo)\b/gi,
      },
    ],
  },
  {
    id: 'simplify',
    asks: /\b(simpl\w*|innovat\w*|invent\w*|new way|idea|creative)\b/i,
    principles: ['Invent and Simplify'],
    example: 'Tell me about a time you found a much simpler way to do something that others found complicated.',
    facets: [
      {
        name: 'the new way',
        re: /\b(simpl\w*|automat\w*|prototype\w*|replaced|redesign\w*|tool|script|idea|invent\w*|new (approach|way|process))\b/gi,
      },
      { name: 'the effect', re: /\b(saved|reduc\w*|faster|fewer|adopt\w*|removed|eliminat\w*|from \d+ (steps|hours|days|minutes) to)\b/gi },
    ],
  },
  {
    id: 'cost',
    asks: /\b(cost|resources|budget|frugal\w*|cheaper|fewer resources)\b/i,
    principles: ['Frugality'],
    example: 'Tell me about a time you reduced the cost of something you owned.',
    facets: [
      {
        name: 'the constraint',
        re: /\b(budget|costs?|\$|headcount|resources|spend\w*|cheap\w*|frugal\w*|expensive|bill|estimated?|quoted?|consultan\w*|licen[cs]es?|(two|three|four|five|\d+) (engineers|people|developers) for)\b/gi,
      },
      {
        name: 'the saving',
        re: /\b(saved|saving|savings|cut|reduc\w*|lower\w*|fewer|without (hiring|buying|paying)|reused?|existing|free tier|for free|instead of (buying|hiring|paying|a managed))\b/gi,
      },
    ],
  },
  {
    id: 'data',
    asks: /\b(data|root cause|dig|dive|metrics?|numbers)\b/i,
    principles: ['Dive Deep'],
    example: 'Tell me about a time you found the root cause of a problem that others had missed.',
    facets: [
      {
        name: 'the evidence',
        setting: true,
        re: /\b(data|metrics?|logs?|dashboards?|queries|query|traces?|numbers|sql|analy[sz]\w*|packet capture|profil\w*)\b/gi,
      },
      { name: 'the finding', re: /\b(root cause|found|discovered|noticed|turned out|showed|revealed|correlat\w*|traced)\b/gi },
    ],
  },
  {
    id: 'quality',
    asks: /\b(quality|standards?|bar|not good enough|refused to ship)\b/i,
    principles: ['Insist on the Highest Standards'],
    example: 'Tell me about a time you raised the quality bar for your team.',
    facets: [
      { name: 'the bar', re: /\b(quality|standards?|bar|test coverage|code reviews?|defects?|bugs?|flaky|regressions?)\b/gi },
      {
        name: 'holding it',
        re: /\b(refused|blocked|delayed|insisted|pushed back|required|would not (ship|merge)|wouldn't (ship|merge)|raised the bar)\b/gi,
      },
    ],
  },
  {
    id: 'scope',
    asks: /\b(outside your|beyond|broader|wider impact|your area|not your)\b/i,
    principles: ['Ownership'],
    example: 'Tell me about a time you took on a problem that was outside your area of responsibility.',
    facets: [
      {
        name: 'beyond the brief',
        re: /\b(not my (job|team|area|code|service)|outside (my|our)|nobody (owned|else|was)|no one (owned|else|was)|other teams?|another team|took (it )?on|volunteer\w*|stepped in|without being asked)\b/gi,
      },
      {
        name: 'the long view',
        re: /\b(long[\s-]term|for good|permanent\w*|mechanism|runbook|handover|handed (it )?over|documented|so it (would|could) not)\b/gi,
      },
    ],
  },
  {
    id: 'judgement',
    asks: /\b(decision|decide|judg\w*|changed your mind|different view|incomplete data)\b/i,
    principles: ['Are Right, A Lot'],
    example: 'Tell me about a time you had to make an important decision with incomplete data.',
    facets: [
      { name: 'the decision', re: /\b(decid\w*|decision|call|chose|choice|options?|weighed)\b/gi },
      {
        name: 'the perspectives',
        re: /\b(perspectives?|views?|opinions?|asked (\w+ ){0,3}(for|what)|consulted|sought|input from|devil's advocate|disconfirm\w*|evidence against)\b/gi,
      },
      { name: 'checking it', re: /\b(was right|was wrong|turned out|in hindsight|confidence|reviewed|checked|validated|proved)\b/gi },
      {
        name: 'changing course',
        re: /\b(changed my mind|i was wrong|(she|he|they) (was|were) right|withdrew|reconsidered|convinced me|persuaded me|updated my (view|thinking|position)|realized (i|that i) was wrong|let go of|reversed|reversible|assumptions)\b/gi,
      },
    ],
  },
  {
    id: 'curiosity',
    asks: /\b(curio\w*|learn\w*|explor\w*|new technology|new domain)\b/i,
    principles: ['Learn and Be Curious'],
    example: 'Tell me about something you explored out of curiosity that turned out to be useful at work.',
    facets: [
      {
        name: 'the curiosity',
        re: /\b(curio\w*|wonder(ed|ing)|fascinat\w*|intrigu\w*|explor\w*|tinker\w*|experiment(ed|ing)? with|dug into|dove into|played (around )?with|read up|read (about|papers|the source)|taught myself|self-taught|studied|picked up|out of interest|for fun)\b/gi,
      },
      {
        name: 'beyond the task',
        re: /\b(on my own( time)?|in my (own|spare|free) time|evenings?|weekends?|side project|nobody asked|no one asked|not part of my (job|task|work)|outside (of )?(work|my (role|job))|hackathon|for myself)\b/gi,
      },
      {
        name: 'how I learned',
        re: /\b(read (the|up|about|through|papers|the source|the spec|the docs?|the code)|studied|taught myself|self-taught|courses?|tutorials?|documentation|asked (\w+ ){0,3}(questions|experts?)|an expert|experts|learn(ed|t)? (by|about|how|the basics)|picked up|got up to speed|ramp(ed)? up|glossary|crash course|sample (data|messages)|built (a|something) (tiny|small|toy)|prototype|sandbox)\b/gi,
      },
      {
        name: 'the learning put to use',
        re: /\b(turned out (to be )?useful|came in handy|applied (it|what i learned)|used it (at|in) (work|production)|brought it to (the|my) team|shared (it|what i learned)|taught (the|my) team|tech talk|brown bag|wrote (a|an) (guide|doc|wiki))\b/gi,
      },
    ],
  },
  {
    id: 'trust',
    asks: /\b(trust|bad news|candid|rebuild|honest)\b/i,
    principles: ['Earn Trust'],
    example: 'Tell me about a time you had to rebuild trust with a colleague or a team.',
    facets: [
      {
        name: 'the candour',
        re: /\b(told (them|him|her) (the truth|honestly|straight|directly|early|right away|first)|candid\w*|honest\w*|transparen\w*|admitted|apologi[sz]\w*|owned up|bad news|upfront|up front|didn't sugarcoat|did not sugarcoat|before they (heard|found out))\b/gi,
      },
      {
        name: 'listening',
        re: /\b(listened|heard (them|him|her) out|asked (them|him|her)|understood (their|his|her)|their (side|perspective|concerns?))\b/gi,
      },
      { name: 'trust regained', re: /\b(trust\w*|relationship|rapport|credib\w*|kept (my|our) (word|promise)|followed through)\b/gi },
    ],
  },
  {
    id: 'big',
    asks: /\b(think big|bigger|bold|vision|broader solution|many teams|much bigger)\b/i,
    principles: ['Think Big'],
    example: 'Tell me about a time you proposed a direction much bigger than what your team was planning.',
    facets: [
      {
        name: 'the bigger idea',
        re: /\b(vision|bold|platform|company-wide|org-wide|every team|all teams|many teams|across (the )?(company|org\w*)|reusable|general (pattern|solution)|10x|ten times)\b/gi,
      },
      {
        name: 'bringing others',
        re: /\b(narrative|six-page|6-pager|doc(ument)?|proposal|pitched|presented|convinced|won over|roadmap|buy-in)\b/gi,
      },
      { name: 'the reach', re: /\b(adopt\w*|teams (now )?use|rolled out|scaled|reach\w*|\d+ teams)\b/gi },
    ],
  },
  {
    id: 'delivery',
    broad: true,
    asks: /\b(deliver(ed)? (an?|the) (important |big |key )?(project|result)|despite|major setback|missed a goal|on time)\b/i,
    principles: ['Deliver Results'],
    example: 'Tell me about a time you delivered an important project despite a major setback.',
    facets: [
      { name: 'the goal', setting: true, re: /\b(goal|deadline|target|launch date|commit\w*|milestone|due)\b/gi },
      { name: 'the setback', re: SETBACK },
      {
        name: 'what was delivered',
        re: /\b(delivered|shipped|launched|on time|hit the (date|deadline|target)|met the (date|deadline|target)|went live|completed)\b/gi,
      },
    ],
  },
  {
    id: 'wellbeing',
    asks: /\b(better place to work|struggling|wellbeing|well-being|morale|burn\w*)\b/i,
    principles: ["Strive to be Earth's Best Employer"],
    example: 'Tell me about a time you made your team a better place to work.',
    facets: [
      { name: 'the people', setting: true, re: /\b(colleague|teammates?|team members?|engineers|the team|new joiners?|he|she)\b/gi },
      {
        name: 'how they were doing',
        re: /\b(struggl\w*|burn\w*|stress\w*|overwhelm\w*|morale|wellbeing|well-being|workload|exhaust\w*|isolated|anxious|on-call load|pages at night|attrition|quit)\b/gi,
      },
      {
        name: 'the support',
        re: /\b(supported (him|her|them|the team|each other)|support (him|her|them)|check(ed)? in (with|on)|reached out|rotation|rebalanc\w*|recogni[sz]\w*|inclusi\w*|flexib\w*|listened|empath\w*|time off|workload|starts? late)\b/gi,
      },
    ],
  },
  {
    id: 'responsibility',
    asks: /\b(wider impact|beyond your immediate|privacy|safety|security|community|environment\w*|accessib\w*)\b/i,
    principles: ['Success and Scale Bring Broad Responsibility'],
    example: 'Tell me about a time you raised a concern about privacy, safety or security in something your team built.',
    facets: [
      {
        name: 'the wider harm',
        re: /\b(privacy|personal data|pii|safety|unsafe|security|vulnerab\w*|leak\w*|exposed?|harm\w*|accessib\w*|environment\w*|carbon|energy use|community|ethic\w*|bias(ed)?|fairness|compliance|gdpr)\b/gi,
      },
      { name: 'raising it', re: /\b(raised|flagged|escalat\w*|spoke up|blocked|pushed back|concerns?|warned|alerted)\b/gi },
      {
        name: 'the safeguard',
        re: /\b(hash\w*|encrypt\w*|anonymi[sz]\w*|redact\w*|consent|opt[\s-]?in|opt[\s-]?out|access control|review|audit|guardrails?|safeguards?|mitigat\w*|removed the|stopped (sending|collecting|storing))\b/gi,
      },
    ],
  },
];

/**
 * The themes a question asks about: those of its Leadership Principles, and "a time you failed"
 * when its words say so; a question without principles, the themes its words call for. A word
 * in passing ("delivered bad news to a customer") does not add the themes of delivery and customers.
 */
export function themesOf(question: string, principles: readonly string[] = []): Theme[] {
  const own = THEMES.filter((t) => t.principles.some((p) => principles.includes(p)));
  if (!own.length) return THEMES.filter((t) => t.asks.test(question));
  const failure = THEMES.find((t) => t.id === 'failure')!;
  return failure.asks.test(question) && !own.includes(failure) ? [failure, ...own] : own;
}

/** The facets of a theme that an answer talks about (not those it denies: "I never cut a test"). */
export const facetsFound = (answer: string, theme: Theme) => theme.facets.filter((f) => distinctMatches(answer, f.re).length > 0);

/** The facets found that show the theme itself, not only its setting. */
export const showsTheme = (answer: string, theme: Theme) => facetsFound(answer, theme).filter((f) => !f.setting);
