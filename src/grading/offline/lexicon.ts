/**
 * What the offline grader listens for, as patterns: the signals behind each rubric criterion.
 * Every pattern is global and case-insensitive; matching is done on the candidate's own text.
 */

export const AWS_SERVICES =
  /\b(dynamodb|dax|s3|glacier|lambda|ec2|ecs|eks|fargate|rds|aurora|redshift|elasticache|redis|memcached|cloudfront|route\s?53|api gateway|sqs|sns|eventbridge|kinesis|firehose|msk|kafka|step functions|cloudwatch|x-ray|cloudtrail|iam|kms|secrets manager|parameter store|cognito|waf|shield|vpc|nat gateway|alb|nlb|elb|load balancer|auto ?scaling|codepipeline|codebuild|codedeploy|cloudformation|cdk|terraform|opensearch|elasticsearch|sagemaker|athena|glue|emr|global tables|app mesh|control tower|organizations|guardduty|config|opentelemetry|prometheus|grafana|nginx|postgres(ql)?|mysql|cassandra|mongodb|zookeeper|etcd)\b/gi;
const UNIT =
  '(%|percent|x\\b|ms\\b|milliseconds?|seconds?|s\\b|minutes?|mins?|hours?|days?|weeks?|months?|years?|k\\b|m\\b|million|billion|thousand|gb|tb|pb|mb|kb|qps|rps|tps|requests?|users?|customers?|nodes?|shards?|partitions?|replicas?|instances?|regions?|azs?|times|orders?|tickets?|engineers?|people|teams?|services?|errors?|incidents?|bugs?|defects?|outages?|complaints?|calls?|pages?|sprints?|releases?|deploys?|deployments?|\\$)';
/** A quantity: "40 minutes", "3%", "$2M", and in words, "within an hour", "two weeks", "zero errors". */
export const NUMBER_WITH_UNIT = new RegExp(
  `\\b\\d[\\d,.]*\\s?${UNIT}|\\$\\s?\\d[\\d,.]*\\s?(k|m|million|billion)?|\\b(zero|no more|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|hundreds of|thousands of|a dozen|dozens of|half)\\s+(more\\s+|extra\\s+|fewer\\s+|new\\s+)?${UNIT}|\\b(within|in|under|less than)\\s+an?\\s+(hour|day|week|month|minute)\\b|\\b(doubled|tripled|halved)\\b`,
  'gi',
);
export const MECHANISM =
  /\b(because|so that|which means|this means|in order to|works by|under the hood|as a result|therefore|thus|that way|(which|this|that) (ensures|allows|prevents|lets|gives|keeps|makes|means|avoids|spreads|stops|reduces|guarantees|lets)|by (using|storing|replicating|partitioning|splitting|hashing|caching|routing|batching|writing|reading|checking|retrying|spreading|distributing|keeping|sending|waiting|comparing|tracking|injecting|measuring|running)|so (the|it|they|you|we|a|an|each|every|no|reads|writes|traffic|load|requests) (\w+ ){0,2}(stays?|keeps?|can|cannot|can't|is|are|never|always|only|gets?|won't|doesn't|does not|spreads?|stops?|survives?|scales?|lands?|goes|hits?|returns?)|if .{3,40} (fails|goes down|is lost|times out|crashes|dies)|when .{3,40} (fails|happens|arrives|exceeds|crashes|grows)|to (check|see|verify|make sure|ensure|prove) (that|whether|if))\b/gi;
export const TRADEOFF =
  /\b(trade-?offs?|however|downsides?|drawbacks?|limitations?|limits?|at the (cost|expense) of|instead of|rather than|unless|versus|vs\.?|on the other hand|whereas|only if|not suitable|caveats?|overhead|more expensive|cheaper|costs? more|the price is|in exchange|but)\b/gi;
export const FAILURE =
  /\b(multi[\s-]?az|multiple (azs|availability zones)|multi[\s-]?region|cross[\s-]region|failover|fail over|retr(y|ies|ying)|backoff|idempoten\w*|circuit[\s-]breakers?|timeouts?|dead[\s-]letter|dlq|alarms?|health checks?|fallback|degrad\w*|redundan\w*|replicat\w*|backups?|restore|rollback|roll back|chaos|throttl\w*|rate limit\w*|bulkheads?)\b/gi;
export const REQUIREMENTS =
  /\b(scalab\w*|reliab\w*|fast|quick(ly)?|low[\s-]latency|highly available|requirements?|functional|non-functional|scope|out of scope|assum\w*|sla|slo|availability target|latency target|p99|p95|read[\s-]heavy|write[\s-]heavy|use cases?|users? (need|want|can)|must (be|support|handle)|clarify|constraints?)\b/gi;
export const CAPACITY =
  /\b(\d[\d,.]*\s?(k|m|million|billion|thousand)?\s?(qps|rps|tps|requests?|writes?|reads?|users?|events?|messages?|gb|tb|pb|mb)(\s?(per|\/)\s?(second|sec|s|day|month|minute))?|back[\s-]of[\s-]the[\s-]envelope|estimate\w*|capacity|throughput|bandwidth|storage (of|growth)|peak)\b/gi;
export const DATA_MODEL =
  /\b(data model|schema|tables?|partition keys?|sort keys?|gsi|primary key|keys?|index(es)?|columns?|documents?|records?|items?|entity|entities|access patterns?|normali[sz]\w*|denormali[sz]\w*|ttl)\b/gi;
export const SCALABILITY =
  /\b(cach\w*|cdn|shard\w*|partition\w*|read replicas?|replicas?|load[\s-]balanc\w*|fleet|in[\s-]memory|scale (out|up)|auto ?scal\w*|asg|horizontal\w*|queues?|async\w*|fan[\s-]?out|batch\w*|stateless|hot (key|partition)s?|consistent hashing|pre[\s-]?comput\w*|precomput\w*|edge)\b/gi;
export const FLOW =
  /(->|→|\bthen\b|\bbehind\b|\bfronted by\b|\broutes? (to|through)\b|\bforwards?\b|\bcalls?\b|\bpublish\w*\b|\bconsum\w*\b|\bwrites? to\b|\breads? from\b|\bpushes\b|\btriggers?\b)/gi;

export const SITUATION =
  /\b(when i (was|joined|started|worked)|at my (previous|last|current|first)|in my (previous|last|current|first|second|third) (role|job|team|company|position|year)|at (a|an|my|our) (\w+ ){0,2}(company|startup|studio|bank|hospital|agency|firm|retailer|employer|scale-?up)|last (year|quarter|month|spring|summer|autumn|fall|winter)|(19|20)\d\d|our team|my team|the team|the project|a project|we were|we had (a|an)|the company|my manager|a customer|our customers?|the deadline|at the time|back then|a few (months|years) ago|(two|three|four|a few|several) (days|weeks|months) (before|into|after)|(right |just )?(before|during|ahead of) (black friday|peak( season)?|the holidays|(the|a|our) (launch|release|migration|holiday sale))|our (\w+ ){0,2}(service|app|system|product|pipeline|platform|cluster|api|site|database|codebase))\b/gi;
export const TASK =
  /\b(i was responsible|my (role|job|task|goal|responsibility|objective|project|team) was|i (needed|had) to|i (owned|led|ran|managed|was leading|was running|was in charge of|was the one)|i was (asked|tasked|assigned|hired|handed|given)|i got (handed|asked|assigned|tasked|given)|the goal was|our goal was|i was (the|a|the only) (\w+ )?(lead|owner|on-call|tech lead|manager|engineer|developer|dev|pm|product manager)|it was my (job|call|project|responsibility)|i had (promised|committed|agreed)|(it|this|that) (was|fell) (on|to) me)\b/gi;
export const HYPOTHETICAL = /\b(i would|i'd|i usually|i always|i generally|i tend to|i typically)\b/gi;
export const I_ACTION =
  /\bi\s+(?!(am|was|were|think|feel|believe|guess|hope|don't|do not|would|could|might|usually|always|generally)\b)[a-z]+(ed|t)?\b/gi;
/** What the team did, told as "we" with a verb of doing: "we rolled back", "the team fixed it" (not "we were", "we already had"). */
export const WE =
  /\b(we|the team|my team|our team)\s+(?:then\s+|also\s+|finally\s+|quickly\s+)?(?!(?:already|just|still|all|both|usually|were|was|are|is|had|have|needed|need|wanted|want|knew|know|thought|think|felt|did not|didn't|do not|don't|could not|couldn't|would|could|should|might|may|can|will)\b)[a-z]+\b/gi;
/** A further action in a sentence told by "I": "I spread the rotation, fixed the alarms and agreed with my manager". */
export const AND_ACTION =
  /(?:,|\band)\s+(?:then\s+|also\s+)?(?:[a-z]+ed|wrote|built|ran|set|told|made|took|led|gave|sent|met|found|got|went|kept|put|spread|shipped|brought|drove|taught|rewrote|chose|began|held)\b/gi;
export const RESULT_VERB =
  /\b(reduc\w*|increas\w*|improv\w*|cut|saved?|grew|grow\w*|dropp\w*|rais\w*|lower\w*|launch\w*|shipp\w*|deliver\w*|achiev\w*|result\w*|outcome|won|recover\w*|eliminat\w*|resolv\w*|adopt\w*)\b/gi;
export const REFLECTION =
  /\b(learn(ed|t)|lessons?|in hindsight|looking back|next time|do (it )?differently|since then|now i|taught me|i reali[sz]ed|changed how i|going forward|from then on|retrospective|post-?mortem|if i (did|were to do) it again)\b/gi;
export const AMAZON_SPECIFIC =
  /\b(prime|aws|alexa|kindle|echo|whole foods|zappos|marketplace|two[\s-]pizza|working backwards|press release|pr\/faq|pr faq|six[\s-]page|6[\s-]pager|narratives?|bar raiser|flywheel|day 1|day one|leadership principles?|customer obsession|fulfil?l?ment centers?|kiva|go stores?|just walk out|subscribe & save|1-click|one-click|mgm|twitch|ring|project kuiper|fire phone|bezos|jassy|disagree and commit|ownership|frugality|bias for action)\b/gi;
export const PERSONAL = /\b(i|my|me)\b/gi;
export const EXPERIENCE =
  /\b(i (built|led|worked|shipped|launched|ran|managed|owned|used|saw|learned|noticed|started|joined|spent|helped|created|designed)|in my (role|job|team|experience|last|previous|current)|at my (company|job|previous|last))\b/gi;
export const IDEAS =
  /\b(i would|i'd|we could|could|propose|suggest|introduce|add|build|launch|improve|measure|metric|a\/b test|experiment|pilot|for example|for instance|such as)\b/gi;

export const PRINCIPLE_WORDS: Record<string, RegExp> = {
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
// Behavioural stories

/** A past-tense first-person verb: the candidate telling what happened to them. */
export const I_PAST =
  /\bI\s+(?:\w+ed|was|had|did|made|took|led|wrote|built|ran|saw|found|told|got|went|knew|chose|spent|set|put|cut|began|brought|caught|drove|felt|fought|gave|held|kept|left|lost|met|paid|quit|read|said|sent|shut|sold|spoke|stood|taught|thought|understood|won|became|broke|came|rang|rewrote|sat|slept|forgot|overrode|swallowed|bit)\b/g;

/** Words of work: the setting of a professional story. */
export const WORK_CONTEXT =
  /\b(team|teammates?|colleagues?|manager|director|lead|engineers?|customers?|clients?|users?|stakeholders?|project|product|feature|service|system|release|launch\w*|deadline|sprint|roadmap|company|business|role|job|on-?call|incident|outage|deploy\w*|code|pipeline|migration|database|api|vendor|partner|budget|quarter|metrics?|dashboard|tickets?|bugs?|tests?|review|office|org|organi[sz]ation|department|startup|internship|intern|client|account|contract|revenue|sales|support)\b/gi;

/** Owning the outcome in the first person. */
export const ACCOUNTABILITY =
  /\b(i (took|take|accepted|owned) (full |complete |personal )?(responsibility|accountability|ownership|the blame)|my (own )?(decision|call|mistake|fault|error|responsibility|oversight|misjudg\w*)|i (was|am) (responsible|accountable|to blame)|i (admitted|apologi[sz]ed|owned (it|up|the)|should have|shouldn't have|misjudged|underestimated|overestimated|overpromised|overlooked|assumed|ignored|skipped|missed|caused|broke|forgot)|on me\b|i made (a|the) (mistake|wrong call|bad call|error))/gi;

/** What went wrong. */
export const SETBACK =
  /\b(fail\w*|mistakes?|wrong|missed|miss(ing)?|broke|broken|outages?|incidents?|bugs?|regress\w*|crash\w*|went down|fell over|fell (apart|short|behind)|slipp\w*|delay\w*|late|overran|over budget|rolled? ?back|rollback|root cause|problems?|issues?|errors?|lost|losing|churn\w*|complain\w*|escalat\w*|setbacks?|underestimat\w*|overpromis\w*|misjudg\w*|blocked|stuck|behind schedule)\b/gi;

/** A change made afterwards so it does not happen again: a mechanism, not only a lesson. */
export const CHANGE_AFTER =
  /\b(since then|from then on|ever since|now i|these days i|i now|going forward|afterwards|after that,? i|so (it|this|that) (can't|cannot|won't|doesn't|does not|will not|never) (happen|recur)|(added|introduced|created|built|wrote|set up|put in place|automated|changed|updated|made) (a |an |the )?(check|checklist|alarm|alert|test|tests|runbook|process|mechanism|review|guardrail|gate|canary|template|playbook|policy|dashboard)|checklist|mechanism|guardrails?|post-?mortem|retrospective|lessons? learned)\b/gi;

// ---------------------------------------------------------------------------------------------
// Company answers

/** Customer metrics: how a proposal for customers would be measured. */
export const CUSTOMER_METRIC =
  /\b(conversion( rate)?|retention|churn|nps|net promoter|csat|satisfaction|repeat (purchase|buyers?|customers?)|refund time|delivery (time|speed|promise)|on-time|defect rate|return rate|contact rate|time to (refund|deliver\w*|resolution)|average order value|aov|click-?through|ctr|engagement|lifetime value|ltv|adoption|active (users|customers)|search (success|abandonment)|cart abandonment|wait time|latency)\b/gi;

/** A concrete proposal: something the candidate would do. */
export const PROPOSAL =
  /\b(i(?:'d| would| will| could)\s+(?!say|think|guess|imagine|argue|like|love|enjoy|learn|grow|be|have|feel|get|want|need|hope|bring|fit|thrive)\w+|i propose|i suggest|we (?:could|should)\s+\w+|propos\w*|introduce|launch|build|add|pilot|test|experiment|roll (it )?out|offer|let customers|allow customers|make it (easier|faster|possible))\b/gi;

/** How a proposal would be tested or measured. */
export const MEASUREMENT =
  /\b(measur\w*|metrics?|kpis?|a\/b test\w*|ab test\w*|experiment\w*|pilot\w*|control group|baseline|target|track\w*|success (would|will) (be|look)|by \d+ ?%|\d+ ?% )\b/gi;

/** Concrete parts of Amazon's customer experience and business. */
export const COMPANY_CONCRETE =
  /\b(search( results| relevance)?|recommendations?|reviews?|ratings?|returns?|refunds?|delivery|deliveries|shipping|checkout|cart|listings?|sellers?|third-party|warehouses?|fulfil\w*|logistics|pricing|prices|subscriptions?|customer service|support|mobile app|app|voice|devices?|lockers?|drones?|same-day|next-day|one-day|packaging|boxes?|drop-?off|counterfeits?|fake reviews|sponsored|ads?|personali[sz]\w*|catalog(ue)?)\b/gi;
