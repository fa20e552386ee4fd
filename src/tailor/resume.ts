import type { ResumeItem } from './schema.js';

/**
 * The résumé's items as our own code reads them: the projects and roles under its Experience and
 * Projects headings, each with its claims (bullet points, or lines that start with an action
 * verb), their verbs, figures and technologies. Projects come first, then roles, each ranked by
 * what they claim: a claim with an action verb, a figure or a named technology is what an
 * interviewer asks about.
 */

const EXPERIENCE = /^(professional |work |relevant |industry )?(experience|employment( history)?|work history|career( history)?)$/i;
const PROJECTS = /^((personal|selected|side|key|academic|open[- ]source|notable) )?projects?$/i;
const OTHER =
  /^(education|skills|technical skills|core skills|summary|professional summary|profile|about( me)?|objective|certifications?|awards|honou?rs|publications|interests|hobbies|languages|contact|references|volunteering|activities)$/i;
const BULLET = /^\s*(?:[-*•▪◦‣●○■–]|\d+[.)])\s+/;

/** Verbs a résumé claim starts with. */
const VERBS =
  /^(built|led|designed|developed|created|launched|migrated|reduced|cut|improved|increased|implemented|owned|shipped|delivered|scaled|automated|architected|rewrote|wrote|introduced|drove|managed|mentored|optimi[sz]ed|replaced|refactored|founded|established|deployed|debugged|investigated|diagnosed|streamlined|saved|grew|halved|doubled|coordinated|ran|set up|maintained|integrated|modernized|modernised|reworked|removed|eliminated|lowered|raised|spearheaded|initiated|prototyped|authored)\b/i;

const FIGURE =
  /(?:[$€£]\s?\d[\d,.]*\s?[kmb]?\b|\b\d[\d,.]*\s?(?:%|x\b|ms\b|k\b|m\b|tb\b|gb\b|qps\b|rps\b|tps\b|million\b|billion\b|users\b|customers\b|requests\b|engineers\b|people\b|services\b|hours\b|weeks\b|days\b|percent\b)|\b\d+(?:[.,]\d+)?\b)/gi;

const TECH =
  /\b(aws|amazon \w+|dynamodb|s3|lambda|sqs|sns|kinesis|kafka|redis|memcached|postgres(?:ql)?|mysql|aurora|rds|mongodb|cassandra|elasticsearch|opensearch|kubernetes|k8s|docker|ecs|eks|terraform|cloudformation|cdk|graphql|grpc|rest|java|kotlin|scala|python|go(?:lang)?|rust|typescript|javascript|node(?:\.js)?|react|c\+\+|c#|spark|hadoop|airflow|flink|snowflake|bigquery|gcp|azure|linux|nginx|cloudfront|cloudwatch|prometheus|grafana|datadog|jenkins|github actions|sql|nosql)\b/gi;

type Section = ResumeItem['section'] | 'other';

/** A heading line as its words: Markdown marks, a colon and capitals do not matter. */
const headingOf = (line: string) =>
  line
    .replace(/^#+\s*/, '')
    .replace(/[*_:]/g, '')
    .trim();

function sectionOf(line: string): Section | undefined {
  const h = headingOf(line);
  if (h.length > 40) return undefined;
  if (EXPERIENCE.test(h)) return 'experience';
  if (PROJECTS.test(h)) return 'projects';
  if (OTHER.test(h)) return 'other';
  return undefined;
}

/** An item's name: a project's title before its stack or dates, a role without its dates. */
function nameOf(line: string, section: ResumeItem['section']): string {
  let name = line
    .replace(/^#+\s*/, '')
    .replace(/[*_]/g, '')
    .trim();
  name = name.replace(/\(?\b((19|20)\d\d|present|current)\b.*$/i, '').trim();
  if (section === 'projects') name = name.split(/\s+[—–|-]\s+|:\s|\s\(/)[0]!.trim();
  return name.replace(/[,;:|—–-]+$/, '').trim() || line.trim();
}

const unique = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];

function describe(name: string, section: ResumeItem['section'], claims: string[]): ResumeItem {
  return {
    name,
    section,
    claims,
    verbs: unique(claims.map((c) => VERBS.exec(c)?.[0]?.toLowerCase() ?? '')),
    figures: unique(claims.flatMap((c) => (c.match(FIGURE) ?? []).filter((f) => !/^(19|20)\d\d$/.test(f.trim())))),
    tech: unique(claims.flatMap((c) => c.match(TECH) ?? [])),
  };
}

/** How much an item claims: verbs, figures and technologies. */
const weight = (i: ResumeItem) => i.claims.filter((c) => VERBS.test(c)).length + i.figures.length + 0.5 * i.tech.length;
/** Projects (the candidate's own, what "walk me through" asks about) before roles. */
const sectionRank = (i: ResumeItem) => (i.section === 'projects' ? 0 : 1);

/** The most items kept (the first is asked about). */
const KEEP = 3;

/** The résumé's projects and roles, most substantial first. A résumé without headings is read as one Experience section. */
export function readResume(text: string): ResumeItem[] {
  const lines = text.split(/\r?\n/);
  const headed = lines.some((l) => sectionOf(l) === 'experience' || sectionOf(l) === 'projects');
  let section: Section = headed ? 'other' : 'experience';
  const items: Array<{ name: string; section: ResumeItem['section']; claims: string[] }> = [];
  let current: (typeof items)[number] | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const heading = sectionOf(line);
    if (heading) {
      section = heading;
      current = undefined;
      continue;
    }
    if (section === 'other') continue;
    const body = line.replace(BULLET, '').trim();
    const claim = BULLET.test(line) || VERBS.test(body);
    if (claim && body.split(/\s+/).length >= 3) {
      if (!current)
        items.push((current = { name: section === 'projects' ? nameOf(body, section) : 'your experience', section, claims: [] }));
      current.claims.push(body);
    } else if (!claim) {
      // A title line: a new item, unless the item has no claim yet (a role's company, then its title);
      // without headings the lines before the first claims are the candidate's name and contacts, so the last one names it.
      if (current && !current.claims.length) current.name = headed ? `${current.name}, ${nameOf(line, section)}` : nameOf(line, section);
      else items.push((current = { name: nameOf(line, section), section, claims: [] }));
    }
  }
  return items
    .filter((i) => i.claims.length)
    .map((i) => describe(i.name, i.section, i.claims))
    .map((item, order) => ({ item, order }))
    .sort((a, b) => sectionRank(a.item) - sectionRank(b.item) || weight(b.item) - weight(a.item) || a.order - b.order)
    .slice(0, KEEP)
    .map((x) => x.item);
}
