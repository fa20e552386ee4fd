import { stem } from './text.js';

/**
 * The vocabulary every work story shares, whatever the story: people and roles at work, the
 * parts of a job, and the verbs and nouns of telling what happened. Two stories from one job
 * share these words without being one story, so the story-reuse detector counts them for little.
 * Written by hand from what engineers' STAR answers say; stemmed once, on first use.
 */
const WORDS = `
team teams teammate teammates colleague colleagues manager managers lead leads leader director engineer engineers
engineering developer developers customer customers client clients user users people person stakeholder stakeholders
company business org organisation organization department product products project projects feature features service
services system systems platform app application code pipeline data database tool tools process work job role
week weeks day days month months year years hour hours minute minutes second seconds time times quarter morning night
first second third last next new old big small large whole single half rest same other several few lot lots
problem problems issue issues bug bugs fix fixed fixing change changed changes changing incident outage failure
build built building ship shipped release released launch launched deploy deployed rollout rolled roll test tested
testing tests review reviewed meeting meetings plan planned planning decision decide decided proposal proposed propose
result results impact outcome goal goals deadline priority priorities metric metrics dashboard report reports
rate number numbers cost costs percent point points average total
said told asked worked working took take taking made make making found find finding saw see looked look started start
went go going came come got get getting gave give kept keep needed need wanted want knew know thought think felt
learned learn learnt realised realized noticed notice helped help tried try wrote write added add moved move set
ran run running owned own led lead managed manage agreed agree showed show explained explain understood
instead because though although since later afterwards after before then still already even almost roughly about
around nearly really actually basically just quite exactly maybe probably approximately
okay ok um uh like yeah right basically kind sort situation task action result
dropped drop fell fall rose rise went grew grow increased increase reduced reduce improved improve cut cutting
example one thing way end part parts side case level levels reason reasons question answer approach solution
`;

let stems: Set<string> | undefined;

/** Whether a content word's stem is one of the words every work story uses. */
export function isStoryCommon(stemmed: string): boolean {
  stems ??= new Set(
    WORDS.split(/\s+/)
      .filter(Boolean)
      .map((w) => stem(w)),
  );
  return stems.has(stemmed);
}
