/**
 * One strong story per behavioural question family, written for this project (not from any
 * benchmark), with the questions of its family. Told to its own family's questions a story must
 * not be flagged `off_theme`; told to a question of another family it must be flagged, stay
 * under the partial answer, and the card must name a question it would fit.
 */

export interface Story {
  family: string;
  /** The questions this story answers. */
  fits: string[];
  /** Questions of clearly other families, where the story answers something else. */
  elsewhere: string[];
  text: string;
}

export const STORIES: Story[] = [
  {
    family: 'failure',
    fits: ['amazon-3', 'lp-ownership-2', 'lp-deliver-results-2'],
    elsewhere: ['lp-learn-and-be-curious-2', 'lp-hire-and-develop-the-best-1', 'lp-frugality-2'],
    text:
      'Last spring I owned the rollout of a new pricing service at my company. I skipped the load test to hit the launch date, and that was my mistake: on launch morning the service fell over and 12% of checkout requests failed for an hour. ' +
      'I rolled it back myself, called the three affected team leads and wrote the post-mortem that named my decision as the root cause. ' +
      'I ran the service in shadow mode for two weeks, fixed two more bottlenecks and relaunched with zero errors. ' +
      'Since then I never cut a load test to make a date, and I added load testing to our launch checklist.',
  },
  {
    family: 'conflict',
    fits: ['lp-have-backbone-disagree-and-commit-1', 'lp-have-backbone-disagree-and-commit-2'],
    elsewhere: ['lp-frugality-1', 'lp-earths-best-employer-2', 'lp-earths-best-employer-1'],
    text:
      'In my second year at a logistics startup my manager wanted to release a new routing algorithm to every driver at once before peak season. ' +
      'I disagreed, because my analysis of the pilot city showed delivery times 12% worse on rural routes. ' +
      'I asked for time in his planning meeting, walked through the data route by route and proposed a staged launch. ' +
      'He kept the single date for the sales story, so we agreed on a compromise: urban depots first, rural two weeks later. ' +
      'I committed fully and shipped the rural fix myself in nine days; late deliveries fell by 15% that quarter. I learned to bring the data early.',
  },
  {
    family: 'customer',
    fits: ['lp-customer-obsession-1', 'lp-customer-obsession-2'],
    elsewhere: ['lp-have-backbone-disagree-and-commit-1', 'lp-hire-and-develop-the-best-2', 'lp-earths-best-employer-1'],
    text:
      'I owned the invoicing page of our small-business accounting app. Support tickets kept saying customers could not find how to send a reminder for an unpaid invoice, about 40 tickets a week. ' +
      'I read 100 of those tickets myself and called six customers, and learned they wanted reminders to go out automatically, not a better button. ' +
      'I prioritised automatic reminders over the redesign my team had planned and built a first version in three weeks. ' +
      'Tickets about reminders dropped by 80%, and customers using reminders were paid nine days sooner on average.',
  },
  {
    family: 'people',
    fits: ['lp-hire-and-develop-the-best-1'],
    elsewhere: ['lp-frugality-2', 'lp-dive-deep-1', 'lp-frugality-1'],
    text:
      'When I led a team of five, a junior engineer, Priya, was strong technically but never spoke in design reviews. ' +
      'I set up weekly one-on-ones with her, gave her ownership of our caching layer and coached her through writing her first design doc. ' +
      'I paired with her on the first review, then stepped back and let her present the next two alone, with feedback from me after each. ' +
      'Within nine months she was leading the caching work across two teams and was promoted to engineer II. I learned to give people a stretch with a safety net.',
  },
  {
    family: 'speed',
    fits: ['lp-bias-for-action-1', 'lp-bias-for-action-2'],
    elsewhere: ['lp-hire-and-develop-the-best-1', 'lp-earths-best-employer-2', 'lp-customer-obsession-1'],
    text:
      'During a holiday sale our payment provider started timing out, and we were losing about $20,000 an hour in failed checkouts. ' +
      'We did not know yet whether the provider or our network was at fault, and waiting for their status page would have taken hours. ' +
      'I decided within 20 minutes to switch traffic to our backup provider, because the switch was a config flag we could undo in one minute. ' +
      'I told my director and the finance lead what I had done and why. Failed checkouts dropped to near zero within the hour, and we switched back the next morning once the provider fixed their fault.',
  },
  {
    family: 'simplify',
    fits: ['lp-invent-and-simplify-1', 'lp-invent-and-simplify-2'],
    elsewhere: ['lp-earn-trust-1', 'lp-have-backbone-disagree-and-commit-2', 'lp-earths-best-employer-2'],
    text:
      'Releasing our mobile app took a manual checklist of 42 steps across four tools, and each release took a senior engineer a whole day. ' +
      'I noticed most steps only copied version numbers between tools, so I wrote a small script that read them from one file and drove all four tools. ' +
      'Some engineers did not trust it, so I ran it next to the manual process for three releases and showed the results matched. ' +
      'Releases now take 40 minutes and anyone on the team can do one; the release errors we used to see every month went to zero.',
  },
  {
    family: 'cost',
    fits: ['lp-frugality-1', 'lp-frugality-2'],
    elsewhere: ['lp-hire-and-develop-the-best-1', 'lp-earths-best-employer-2', 'lp-have-backbone-disagree-and-commit-1'],
    text:
      'Our data pipeline I owned cost $48,000 a month in AWS, and finance asked every team to cut spend by 20%. ' +
      'I went through the bill line by line and found that 60% of the cost was clusters left running between nightly jobs. ' +
      'I moved the jobs to spot instances that start on a schedule and shut down when done, and deleted three years of intermediate files nobody read. ' +
      'The bill dropped to $19,000 a month with the same run times, and I added a budget alarm so the saving would stick.',
  },
  {
    family: 'data',
    fits: ['lp-dive-deep-1', 'lp-dive-deep-2'],
    elsewhere: ['lp-hire-and-develop-the-best-1', 'lp-earths-best-employer-1', 'lp-think-big-1'],
    text:
      'Our search latency alarm fired a few times a week and everyone blamed garbage collection, so the team kept tuning the JVM. ' +
      'I did not believe it, because the pauses in the GC logs did not line up with the slow requests. ' +
      'I pulled a week of traces and request logs and grouped the slow requests by host, and found they all hit the two hosts that had just been added. ' +
      'It turned out those hosts had a different DNS setting that added 300 ms to every lookup. I fixed the image, p99 latency fell from 900 ms to 180 ms, and we added a config check to the host build.',
  },
  {
    family: 'quality',
    fits: ['lp-insist-on-the-highest-standards-1', 'lp-insist-on-the-highest-standards-2'],
    elsewhere: ['lp-learn-and-be-curious-2', 'lp-earths-best-employer-2', 'lp-earn-trust-1'],
    text:
      'Two days before a release of our checkout service, I found that a new discount feature rounded prices differently on mobile and web. ' +
      'The product manager wanted to ship and fix it later, but a wrong price at checkout costs customer trust and creates refunds. ' +
      'I refused to sign off, showed her five real orders where the totals differed, and fixed the rounding myself in a day. ' +
      'I also added contract tests that compare prices across clients, and raised our review bar so pricing changes need a second reviewer. We shipped three days late with zero pricing defects since.',
  },
  {
    family: 'scope',
    fits: ['lp-ownership-1'],
    elsewhere: ['lp-hire-and-develop-the-best-2', 'lp-learn-and-be-curious-2', 'lp-earths-best-employer-1'],
    text:
      'Our builds kept failing because of a shared test database that belonged to no team; every team just retried and complained. ' +
      'It was not my job, but I took it on: I found that the database ran out of connections when more than ten builds ran at once. ' +
      'I talked to the platform team, who owned the build machines, and together we moved each build onto its own throwaway database. ' +
      'I wrote the runbook and handed the setup over to them so it would last. Failed builds dropped from 30 a week to two.',
  },
  {
    family: 'judgement',
    fits: ['lp-are-right-a-lot-1', 'lp-are-right-a-lot-2'],
    elsewhere: ['lp-frugality-2', 'lp-earths-best-employer-2', 'lp-hire-and-develop-the-best-1'],
    text:
      'We had to choose a database for a new ledger service within a week, before we knew the final traffic numbers. ' +
      'I listed what we knew and did not know, and asked two engineers who I expected to disagree with me for their views. ' +
      'One of them showed that our write pattern would hit hot keys in the store I preferred, which changed my mind. ' +
      'I decided on PostgreSQL with a stated confidence of about 70%, and set a review point after three months of real traffic. ' +
      'At the review the choice held up: p99 writes stayed under 20 ms at twice the expected load.',
  },
  {
    family: 'curiosity',
    fits: ['lp-learn-and-be-curious-1', 'lp-learn-and-be-curious-2'],
    elsewhere: ['lp-frugality-2', 'lp-have-backbone-disagree-and-commit-2', 'lp-earn-trust-2'],
    text:
      'Out of curiosity I spent a few weekends reading about how SQLite tests itself, which was not part of my job at all. ' +
      'I was fascinated by its fuzzing, so I tried a fuzzer on the parser of our own configuration files at home. ' +
      'In one evening it found two crashes that our unit tests had never caught. ' +
      'I brought the idea to my team, set up fuzzing in our build and gave a short tech talk on it; over the next quarter it found eleven bugs before customers did. ' +
      'I now keep a list of tools I want to explore and try one a month.',
  },
  {
    family: 'trust',
    fits: ['lp-earn-trust-1', 'lp-earn-trust-2'],
    elsewhere: ['lp-frugality-2', 'lp-invent-and-simplify-1', 'lp-think-big-2'],
    text:
      'After I missed two deadlines I had promised the mobile team, their lead stopped relying on my estimates and planned around my team instead. ' +
      'I asked him for a one-on-one, admitted that I had been overpromising, and listened to how the delays had hurt his releases. ' +
      'I started sharing a weekly status with honest risks, and told him about slips as soon as I saw them rather than at the end. ' +
      'For the next six months we hit every date we gave, and he asked my team to build the next shared feature with his.',
  },
  {
    family: 'big',
    fits: ['lp-think-big-1', 'lp-think-big-2'],
    elsewhere: ['lp-earths-best-employer-2', 'lp-earn-trust-1', 'lp-hire-and-develop-the-best-2'],
    text:
      'My team had planned to fix the flaky retries in our own service. I noticed that eleven other teams had written their own retry code with the same bugs. ' +
      'I proposed a shared client library for the whole company instead, and wrote a six-page document with the incidents each team had had. ' +
      'I presented it to the principal engineers, built the first version with one partner team and broke the rollout into steps. ' +
      'Within a year 30 teams had adopted it, and retry-related incidents across the company fell by 70%.',
  },
  {
    family: 'delivery',
    fits: ['lp-deliver-results-1'],
    elsewhere: ['lp-earths-best-employer-2', 'lp-learn-and-be-curious-2', 'lp-hire-and-develop-the-best-2'],
    text:
      'I led the migration of our payments to a new provider, with a hard deadline because the old contract ended on March 31. ' +
      'Six weeks before the date, the new provider told us their refunds API would be late by a month. ' +
      'I re-planned the work so we shipped payments first and handled refunds through a temporary batch job, and I negotiated a two-week overlap with the old provider. ' +
      'We went live on March 20 with no failed payments, and the temporary job handled 4,000 refunds until the real API arrived.',
  },
  {
    family: 'wellbeing',
    fits: ['lp-earths-best-employer-1', 'lp-earths-best-employer-2'],
    elsewhere: ['lp-frugality-2', 'lp-think-big-2', 'lp-invent-and-simplify-1'],
    text:
      'On my team, on-call had become exhausting: the same two engineers were paged at night most weeks, and one of them told me she was close to burning out. ' +
      'I checked in with each person privately and looked at the page history, which showed that 70% of pages came from three noisy alarms. ' +
      'I spread the rotation across all eight engineers, fixed the noisy alarms with the team and agreed with my manager that anyone paged at night starts late the next day. ' +
      'Night pages fell from 25 a month to five, and in the next survey team morale went from the lowest in our org to above average.',
  },
  {
    family: 'responsibility',
    fits: ['lp-success-and-scale-2', 'lp-success-and-scale-1'],
    elsewhere: ['lp-learn-and-be-curious-2', 'lp-hire-and-develop-the-best-1', 'lp-frugality-1'],
    text:
      'Last year I was the tech lead on our mobile analytics SDK, used by 60 engineers across four teams. ' +
      'Two weeks before launch I noticed that the SDK sent full email addresses in event payloads to a third-party vendor. ' +
      'That was a privacy risk for about 2 million users whose emails would be stored outside our control. ' +
      'I raised it with my director and the privacy team the same day, wrote a short doc with the data flow, and proposed hashing the identifiers on the device. ' +
      'I implemented the hashing myself and added a test to the pipeline that fails the build if a payload contains an email. ' +
      'We launched on time, the vendor received no personal data, and the privacy review passed with no findings.',
  },
];
