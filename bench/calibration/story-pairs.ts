/**
 * Pairs of behavioural (STAR) answers for the story-reuse detector (`src/grading/story-reuse.ts`):
 * in a loop, the same story told to two interviewers is noticed when they compare notes.
 *
 * Written for this project. Each job below is one candidate's job told three times: `told`, the
 * story as first told; `retold`, the same story told again to another interviewer (reworded,
 * reordered, reframed for another Leadership Principle, shortened or with figures restated); and
 * `another`, a different story from the same job (same company, team, manager and stack). Every
 * job gives one retelling pair and one same-job pair, so the job's vocabulary is shared in both.
 */

export interface StoryPair {
  /** What the pair tests. */
  name: string;
  /**
   * retelling: one story told twice (reworded, reframed for another principle, shortened,
   * figures restated); same-job: two different stories from one job (same company, team, stack,
   * people, different events); generic: two stories with nothing specific in them; other: two
   * stories from different jobs that share a theme and a figure or two.
   */
  kind: 'retelling' | 'same-job' | 'generic' | 'other';
  earlier: string;
  later: string;
}

export const isSame = (p: StoryPair) => p.kind === 'retelling';

/** One job told three times: a story, the same story retold, and another story from the job. */
export interface Job {
  job: string;
  told: string;
  retold: string;
  another: string;
}

/**
 * A job's two pairs: the story and its retelling, and the other story against the first telling
 * (odd jobs) or the retelling (even jobs), so both orders and both tellings meet the other story.
 */
export function pairsOf(jobs: Job[]): StoryPair[] {
  return jobs.flatMap((j, i) => [
    { name: `${j.job}: retold`, kind: 'retelling' as const, earlier: j.told, later: j.retold },
    i % 2 === 0
      ? { name: `${j.job}: another story`, kind: 'same-job' as const, earlier: j.told, later: j.another }
      : { name: `${j.job}: another story`, kind: 'same-job' as const, earlier: j.another, later: j.retold },
  ]);
}

export const JOBS: Job[] = [
  {
    job: 'payments payouts',
    told: 'In my second year on the Payouts team at Paystream, a retry bug in our Kafka consumer sent 1,140 merchants a duplicate payout on a Friday night, about $380K in total. I was on call. I paused the payout job, wrote a query against the Postgres ledger to find every double entry, and worked with Dana, my manager, and Marcus, the finance ops lead, to claw the money back through reversal files with the bank. We recovered all but $12K within 4 days. The root cause was a consumer that committed offsets after the side effect, so I made the payout write idempotent with a payout key and added a reconciliation check that compares the ledger with the bank file every hour. We have had no duplicate payouts since.',
    retold:
      "The one I'd pick is a weekend when merchants got paid twice. Our payout service at Paystream reprocessed a batch after a Kafka rebalance, so roughly 1,140 merchants received a second payout, around $380K that had left our account. I was the on-call engineer. First I stopped the job so it could not get worse. Then I dug into the ledger tables in Postgres and listed every payout that had two bank transfers for one instruction. Marcus from finance ops and I prepared reversal files for the bank while Dana handled the messages to merchants. Four days later we had everything back except about $12K. The bug was that offsets were committed only after the transfer was sent; I introduced an idempotency key per payout and an hourly ledger-versus-bank reconciliation.",
    another:
      'At Paystream I was on the Payouts team under Dana; our Kotlin services talked to banks through a Kafka pipeline and a Postgres ledger. Merchants in Brazil complained that payouts arrived two days late. I looked at the data and found that we batched Brazilian payouts with the US cutoff, 5pm Eastern, which missed the local PIX window. I proposed per-country cutoffs. Dana worried about the extra on-call load, so I wrote a runbook and built a dashboard of cutoffs per market. I shipped the change for Brazil and Mexico over 3 sprints. Late payouts in Brazil dropped from 31% to 4%, and support tickets about payout timing fell by half. Later we rolled per-country cutoffs out to 9 more markets.',
  },
  {
    job: 'logistics dispatch',
    told: 'Two weeks before Black Friday at Routewise, the dispatch service that assigns routes to our 2,300 drivers started timing out every morning at 6am, when the depots loaded their manifests. I owned dispatch on the team. I found that the Redis cache of stop geocodes had grown to 14 GB and eviction was thrashing. Instead of buying a bigger cluster, I split the cache per depot and precomputed the geocodes the night before. Morning assignment time went from 11 minutes to 90 seconds, and we went through peak without missing a single dispatch window. Tom, my manager, asked me to present the fix at the engineering review.',
    retold:
      'A good example of doing more with less: at Routewise our dispatch system, which hands routes to about 2,300 drivers, was timing out at the 6am manifest load just ahead of Black Friday. The obvious answer was to double the Redis cluster, and that is what the team expected. I looked first, and the geocode cache was 14 GB and constantly evicting keys. I partitioned it by depot and moved geocoding to a nightly precompute job, so mornings only read. It cost nothing extra. Assignment dropped from 11 minutes to a minute and a half, and we made every dispatch window through peak.',
    another:
      'At Routewise I worked on the Dispatch team with Tom as my manager; we own the Go services and Redis caches behind route assignment for our drivers. A depot manager in Leeds told us drivers were making U-turns on a one-way ring road every day. I pulled GPS traces and saw that our routing ignored the turn restrictions from the map provider in 3 cities. I added the turn-restriction layer to the OR-tools model and built a test set of 200 known bad routes. After the rollout, average route length in Leeds fell 6%, and drivers rated route quality 4.2 stars instead of 3.1. I also added a feedback button to the driver app so depots can report bad turns.',
  },
  {
    job: 'ML recommendations',
    told: "Our homepage recommendation model at Shoply lost 9% of its click-through over a month and nobody noticed, because the offline AUC looked fine. I dug in and found that an upstream Spark job had started filling the 'days since last purchase' feature with 0 instead of null for new users, after a schema change by the data platform team. The model read those users as very recent buyers. I fixed the default, retrained, and CTR came back within a week. Then I built a feature drift monitor that compares daily distributions against the training set; it now alerts on 140 features, and it caught two more upstream changes that quarter.",
    retold:
      "I'd talk about the drift monitor I built at Shoply. It started when our homepage recommender quietly lost about nine percent of its click-through in a month. Offline AUC was unchanged, so everyone assumed seasonality. I was not convinced, compared feature distributions by cohort, and found new users had 'days since last purchase' set to 0 rather than null: the data platform team had changed a schema in a Spark job. To the model those users looked like they had just bought. After fixing the default and retraining, CTR recovered in about a week. The lasting part was the monitor: daily checks of 140 features against the training distributions, which flagged two other upstream breaks the same quarter.",
    another:
      'On the Recs team at Shoply, reporting to Anita, I owned our PyTorch training pipeline on SageMaker. Training took 19 hours, so we could only ship one model a week. I profiled it and found the GPU sat idle 60% of the time waiting on data loading from S3. I rewrote the loader to read pre-sharded Parquet files with several workers, and cached the item embeddings between epochs. Training dropped to 5 hours, so we moved to daily retraining, and the fresher model raised the add-to-cart rate by 2.3% in an A/B test. Anita asked me to document it so that the search team could reuse the loader.',
  },
  {
    job: 'mobile crash',
    told: 'After our 5.2 release of the FitTrack iOS app, the crash-free rate fell from 99.6% to 97.1% within a day, mostly on iOS 15 devices. I was the release captain. I halted the phased rollout at 20%, reproduced the crash on an old iPhone 8 and found a SwiftUI list that crashed when a workout had no heart-rate samples. I shipped a hotfix in 36 hours and asked Apple for an expedited review. Afterwards I added iOS 15 devices to our test matrix, and a rule that the phased rollout pauses automatically if crash-free sessions drop below 99.3%.',
    retold:
      "When our 5.2 release went out, crash-free sessions dropped from 99.6 to about 97 percent in one day. I was release captain that cycle, so I didn't wait for the next triage meeting: I stopped the phased rollout while it was at 20% of users. The crashes were concentrated on iOS 15; I dug an old iPhone 8 out of the drawer and reproduced it. A SwiftUI list blew up on workouts with no heart-rate samples. The hotfix was written, tested and submitted with an expedited review request, and it was live 36 hours later. We then made rollouts pause themselves if crash-free goes under 99.3%.",
    another:
      "On the Mobile Core team at FitTrack I reported to Jonas, and we owned the Swift app's shared modules. The app took 4.8 seconds to cold-start on older iPhones and our App Store reviews mentioned it constantly. I profiled launch with Instruments and found we initialised Firebase, analytics and 11 SDKs synchronously before the first screen. I moved 8 of them to lazy loading after the first screen, and convinced the growth team to drop a marketing SDK they no longer used. Cold start went to 1.9 seconds, and mentions of 'slow' in App Store reviews fell by 70% over the next two months.",
  },
  {
    job: 'infra upgrade',
    told: 'At Northwind our 40 EKS clusters were two versions behind, and AWS extended support was about to cost us $180K a year. I led the upgrade programme on the Platform team. I wrote a Terraform module to create blue/green node groups, built a checker for deprecated APIs that found 230 manifests to fix, and agreed a schedule with 14 service teams. We upgraded all 40 clusters in 10 weeks with one customer-facing incident of 4 minutes. Blue/green node groups are now our default for every upgrade.',
    retold:
      'Getting 14 teams to move at once was the hard part of the EKS upgrade I led at Northwind. We had 40 clusters two versions behind, and extended support would have cost about $180K per year. Teams did not trust upgrades because the last one broke things, so I scanned every repo for deprecated APIs first, 230 manifests, and opened fixes for them myself where I could. I gave each team a slot in a ten-week calendar, and made the node swap blue/green with a Terraform module so any team could roll back in minutes. We had a single 4-minute customer-facing blip across all forty clusters.',
    another:
      "On Northwind's Platform team, under Priya, we ran EKS clusters with Terraform for about 60 engineers. Our AWS bill grew 35% in one quarter and finance asked us why. I broke the cost down by namespace using Kubecost and found that dev environments ran around the clock with production-sized node groups. I proposed scaling dev clusters to zero outside working hours and using spot instances for the CI runners. Two teams objected because of long-running tests, so I added an opt-out label. We cut $41K a month, and Priya made the cost dashboard part of our monthly review.",
  },
  {
    job: 'data pipeline',
    told: 'At MediBase our nightly Airflow pipeline loading claims from 27 hospitals into Snowflake finished after 9am half the time, so analysts started their day with stale dashboards. I was on the data engineering team and took it on. I found that 3 dbt models rebuilt the full 1.2 billion-row claims table each night. I made them incremental on the claim update date and added handling for late-arriving data from the hospitals that resend files. The pipeline now finishes by 4:30am, Snowflake credits for that job fell 62%, and the 9am misses went from 15 a month to zero.',
    retold:
      "My customers were our own analysts at MediBase. Every morning half of them opened dashboards with yesterday's data, because the claims pipeline from our 27 hospitals was still running at 9am; it missed about 15 mornings a month. I sat with two analysts to see what they needed first, then went into the dbt project: three models were rebuilding a 1.2-billion-row table from scratch every night. Rewriting them as incremental loads, with handling for the files hospitals resend late, got the run finished before 4:30 in the morning. It also cut the job's Snowflake spend by 62%.",
    another:
      "I was on the Data Engineering team at MediBase, with Sam as my manager, running Airflow and dbt on Snowflake for our hospital clients. A hospital's compliance officer found that one of our exports contained patient birth dates that should have been masked. I traced it to a new dbt model that joined the raw patient table directly instead of the masked view. I reported it the same day, Sam and I notified the client, and I wrote a CI check that fails any model reading from raw PHI schemas without a masking policy. The check blocked 4 similar changes in the next 6 months, and we passed our HIPAA audit with no findings.",
  },
  {
    job: 'fraud rules',
    told: 'At CartPay I owned the real-time fraud rules on the Risk team. A card-testing attack hit one merchant, a ticket reseller, with 60,000 $1 authorization attempts in two hours. Our rules only looked at per-card velocity, and each card was used once. I added a merchant-level velocity rule in Flink on failed authorizations per BIN range and pushed it within 90 minutes, with Helen approving. The attack stopped, and we avoided roughly $25K in network fees. Afterwards I built a replay tool to test new rules against last month of traffic before deploying them.',
    retold:
      'During a card-testing attack at CartPay I had to pick the right rule quickly. A ticket-reseller merchant was getting hammered, around 60,000 one-dollar authorizations in two hours. Blocking the merchant would have hurt real buyers, and our per-card velocity rules were useless since every card appeared once. I looked at the declines and saw they clustered by BIN. So I wrote a Flink rule on failed authorizations per BIN range for that merchant, got Helen to sign off, and had it live in an hour and a half. It stopped the attack and saved about $25K in fees; the replay tool I built afterwards lets us test rules on a month of traffic first.',
    another:
      "I was on CartPay's Risk team under Helen; we ran Flink jobs and an XGBoost model that scores every authorization. Our false positive rate meant we declined about 1 in 200 good transactions, and a large grocery merchant threatened to leave. I analysed their declines and found the model penalised baskets bought late at night, which for them were normal delivery orders. I added merchant category features and retrained with their last 6 months of labelled chargebacks. False declines for that merchant fell 58% with no rise in fraud losses, and the merchant renewed their contract for 3 years.",
  },
  {
    job: 'search relevance',
    told: 'At BookNest, 18% of searches returned zero results, mostly misspelled author names. I was on the search team and proposed a fuzzy-matching and synonym layer in Elasticsearch. I built a spelling dictionary from our catalog of 4 million titles and the last year of queries, then ran an A/B test for 2 weeks. Zero-result searches fell to 6%, and search conversion rose 4.5%. I also added a weekly report of the top zero-result queries for the merchandising team, so they could fix gaps in the catalog.',
    retold:
      "I had never worked on relevance before BookNest, so I spent my first weeks reading query logs. What jumped out was that nearly one in five searches, 18%, found nothing, and most of those were author names typed wrong: 'Murakmi', 'Tolkein'. I learned how Elasticsearch analyzers and fuzzy queries work, and generated a spelling dictionary out of our 4 million titles and a year of queries. We A/B tested it for two weeks. Zero-result searches dropped to 6 percent and conversion on search went up 4.5 percent.",
    another:
      "I worked on BookNest's search team with Raj as my manager, running Elasticsearch over our catalog. During the holiday sale our search latency p99 went from 300ms to 2.4 seconds. I found the cause was a new 'bestseller boost' function script that ran on every document for every query. I replaced it with a precomputed field updated hourly and moved it into the index mapping. p99 was back to 280ms before the second day of the sale, and I added a latency budget test to the search CI pipeline, so new scoring scripts cannot ship without a benchmark.",
  },
  {
    job: 'game matchmaking',
    told: 'At PixelForge we launched a new season of our shooter, and matchmaking queues hit 8 minutes for players in South America, because we only had servers in 2 regions there. I was the backend lead for matchmaking. I changed the matchmaker to widen the acceptable ping range after 60 seconds of waiting, and added a São Paulo fleet on Agones. Queue times fell under 90 seconds, and South American daily players grew 22% over the season. I also added queue-time alarms per region so we would see it before players told us.',
    retold:
      "The players I thought about were in South America. When our shooter's new season launched at PixelForge, their matchmaking waits were around eight minutes, because only two regions were serving them. As matchmaking lead I did two things: the matchmaker started accepting a wider ping range once a player had waited 60 seconds, and we stood up a São Paulo fleet on Agones. Waits came down below a minute and a half, and the region's daily players were up 22% by the end of the season.",
    another:
      'As a backend engineer at PixelForge under Leah, I worked on matchmaking and player services in C# with Redis. We had a cheating wave where players used a memory editor to give themselves unlimited ammo in ranked games. I built a server-side ammo reconciliation that compared the shots a client reported with the server record, and flagged accounts above a threshold for review. In the first month we banned 3,400 accounts, and reports of cheating in ranked dropped 40%. I worked with the community team on how to explain the bans to players.',
  },
  {
    job: 'ad bidding',
    told: 'At AdLane our real-time bidder had to answer within 100ms, and during the World Cup final traffic spiked to 1.8 million requests per second and we started timing out on 12% of bids. I was on call for the bidding team. I turned on a load-shedding mode that dropped low-value auctions first, and scaled out the Aerospike cluster. Timeouts fell below 1% within 20 minutes. Later I built a traffic forecast for big sports events, so we pre-scale the day before instead of reacting on the night.',
    retold:
      "I was the one holding the pager for AdLane's bidder the night of the World Cup final. Requests jumped to 1.8 million a second, and since exchanges only wait 100 milliseconds, 12 percent of our bids were timing out, which was revenue walking away. I didn't wait for a scaling plan: I switched on load shedding so we would drop the lowest-value auctions first, then added Aerospike nodes. Twenty minutes later timeouts were under 1 percent. Afterwards I wrote the event traffic forecast we now use to scale up a day early.",
    another:
      "On the Bidding team at AdLane, reporting to Chris, I worked on our Go bidder and its Aerospike user store. Advertisers complained that frequency caps weren't respected: some users saw the same ad 30 times a day against a cap of 5. I found that caps were counted per data center, and users bouncing between our US-East and US-West bidders were counted twice, separately. I designed a cross-region counter with a short sync interval and accepted a small overshoot. Cap violations fell 95%, and two large advertisers who had paused their campaigns came back.",
  },
  {
    job: 'warehouse tasks',
    told: "At StockPilot a grocery client's warehouse was losing about 300 pick tasks a day: pickers' handheld scanners showed tasks that had already been done. I traced it to RabbitMQ messages being redelivered after a consumer timeout, and our task service was not idempotent, so it applied both. I added a dedupe table keyed by task ID and version, and we fixed the consumer timeout. Lost picks went to zero, and the client's on-time dispatch rate went from 91% to 98% the following month.",
    retold:
      'This was a case of digging past the obvious. A grocery client of StockPilot reported roughly 300 pick tasks a day going missing; their scanners showed pickers tasks that were already done. Everyone blamed the Wi-Fi on the handhelds. I read the RabbitMQ logs and saw the same task messages delivered twice after consumer timeouts, and our task service applied both. I added dedupe on task ID plus version and lengthened the consumer timeout. Missing picks dropped to zero and their on-time dispatch rose from 91 to 98 percent.',
    another:
      "At StockPilot I was on Nadia's warehouse systems team; we build Java services on PostgreSQL and RabbitMQ for grocery and retail clients. A new client wanted to go live in 6 weeks instead of our usual 4 months. I proposed a cut-down launch: receiving and picking only, with their old system keeping returns for a while. I wrote the integration with their ERP myself and trained their shift leads on site. They went live in week 7 handling 12,000 orders a day, and we added returns two months later.",
  },
  {
    job: 'credit model fairness',
    told: 'At LoanLeaf we found that our credit model approved applicants from one postcode region at half the rate of others with similar repayment history. I was the ML engineer on underwriting. I ran a fairness analysis and found that a feature derived from distance to a bank branch was acting as a proxy for the region. I removed it, retrained, and approval rates evened out with the default rate unchanged at 3.2%. I then added a fairness report to our model review checklist, so every new model is checked the same way.',
    retold:
      'The most important thing I did at LoanLeaf was noticing that our underwriting model treated one region unfairly. Applicants from one postcode area were approved about half as often as others with comparable repayment records. I ran the analysis and found that a feature, the distance to the nearest bank branch, was standing in for where people lived. I presented it to Grace and the risk committee, removed the feature and retrained. Approvals became even, and defaults stayed at 3.2%. Every model review now includes a fairness report.',
    another:
      'I was an ML engineer on the underwriting team at LoanLeaf, reporting to Grace, working on our Python scoring service and the Postgres feature store. Applications took 2 days to decide because self-employed applicants needed a manual income check. I integrated open-banking transaction data and built a classifier that estimated income from 12 months of transactions, with a manual review for low-confidence cases. 70% of self-employed applicants got an instant decision, and completed applications rose 15%. Grace and I agreed with compliance on the confidence threshold before launch.',
  },
  {
    job: 'SRE alerting',
    told: 'At Streamly our on-call rotation got 400 pages a month and engineers were burning out. I led an alert review on the SRE team: we classified every alert by whether it needed action, deleted 60% of them, and rewrote the rest as SLO burn-rate alerts in Prometheus. Pages fell to 70 a month, and the time to acknowledge a real incident fell from 12 minutes to 4. Two engineers who had asked to leave the rotation stayed on it. We now review alerts every quarter.',
    retold:
      "On Streamly's SRE team I saw people dreading their on-call week: we were getting paged about 400 times a month, mostly for things that needed no action. I ran a review of every alert with the team, asking one question: did anyone need to do something? About 60% went. The remaining ones I rewrote as SLO burn-rate alerts in Prometheus. Pages dropped to around 70 a month, and because people trusted pages again, the time to acknowledge went from 12 minutes to 4.",
    another:
      'I was an SRE at Streamly under Omar, running Prometheus and Grafana for our video platform. During a live football stream our CDN provider had an outage in Germany. I had proposed a multi-CDN setup months earlier, and we had a half-built switch. I finished it during the incident, moved German traffic to the secondary CDN within 15 minutes, and wrote the post-mortem. We then completed automated CDN failover based on the rebuffering rate, and it has handled 3 outages since.',
  },
  {
    job: 'checkout conversion',
    told: 'At ZipCart, checkout conversion on mobile web was 11 points lower than in the app. I led an investigation on the checkout team and found that the address form alone took 40% of checkout time on phones. I proposed address autocomplete and saved addresses, built it in React over 4 weeks, and ran an A/B test. Mobile conversion rose 3.8 points, worth about $2.1M a year. The same components were later reused in the app. I also found two optional fields that almost nobody filled in and removed them with the agreement of design.',
    retold:
      'At ZipCart I simplified our mobile web checkout. Phone shoppers converted 11 points worse than app users, and when I timed sessions the address form ate 40% of the checkout time. The fix was to ask for less typing: address autocomplete plus saved addresses for returning customers. I built it in React in about four weeks and tested it against the old form. Conversion on mobile web went up 3.8 points, roughly $2.1 million a year. The hard part was getting design to drop two optional fields, which I did by showing how few shoppers filled them in.',
    another:
      "I was on ZipCart's checkout team under Ben; we owned the React front end and the Node checkout API. Our payment provider was deprecating their old API in 3 months, and the migration had been put off twice. I volunteered to lead it, broke it into 5 milestones, and ran the new integration in shadow mode, comparing responses, for 2 weeks. We found 2 currency rounding bugs before launch and cut over with no failed payments. Ben asked me to write the migration guide that the subscriptions team later followed for their own provider.",
  },
  {
    job: 'account takeover',
    told: 'At VaultSafe we had a credential-stuffing attack where 2 million login attempts hit us in one night, and 800 customer accounts were taken over. I was on the Identity team. I added breached-password checks against a k-anonymity API at login and rolled out risk-based step-up MFA for logins from new devices. Account takeovers dropped to under 10 a month. I also wrote the notice to affected customers with our support team. The security team had worried that MFA prompts would annoy users, so I showed them that only about 3% of logins would see one.',
    retold:
      "Right after a credential-stuffing night at VaultSafe, about two million login attempts and 800 accounts taken over, I took on the fix for the Identity team. The customers who lost accounts had reused passwords from other breaches, so I added a breached-password check at login using a k-anonymity API, and asked for a second factor only when a login came from a new device, so we didn't punish everyone. Takeovers fell below 10 per month. I also helped support write the notice to the affected customers.",
    another:
      "On VaultSafe's Identity team, reporting to Ines, I worked on our Go login service backed by Redis. Enterprise customers wanted SAML single sign-on, and sales had promised it to a big bank within one quarter. I wrote the design doc, chose an open-source library after auditing it, and built the SP-initiated flow with certificate rotation. We delivered in 10 weeks, the bank signed a $600K contract, and 30 more enterprise customers adopted SSO that year. The hardest part was certificate rotation, because the bank rotated every 90 days and our first design needed a manual step each time.",
  },
  {
    job: 'firmware update',
    told: 'At HomeHive a firmware update bricked about 1,200 thermostats during a cold snap in January. I was on the device cloud team. I stopped the OTA rollout, worked with the firmware engineers to build a recovery image that could be pushed over the fallback bootloader, and set up a hotline with support. We recovered all but 40 devices within 48 hours and replaced those. I then introduced staged OTA rollouts with automatic halts on device health signals. Customers with elderly relatives got a call from us first.',
    retold:
      "The hardest week I had at HomeHive was in January, when an OTA firmware update left around 1,200 thermostats dead in the middle of a cold spell. People's heating depended on it. I stopped the rollout myself, then paired with the firmware engineers on a recovery image we could push through the fallback bootloader. Support got a dedicated hotline that I helped staff. Within two days every device was back except 40, which we replaced. After that, OTA updates go out in stages and halt automatically on bad health signals.",
    another:
      "At HomeHive I was on Kenji's device cloud team, running MQTT brokers on AWS IoT for our thermostats. Our cloud bill for device telemetry had grown to $90K a month, because each device reported every 10 seconds. I analysed which readings the app and the energy reports actually used, and changed the firmware to report on change, with a 5-minute heartbeat. Telemetry volume dropped 85%, and the bill fell to $14K a month without any change customers could see. Kenji and I checked with the data science team first, since their energy models used the raw readings.",
  },
  {
    job: 'clinic booking',
    told: 'At ClinicFlow, clinics complained that patients were double-booked about 50 times a week. I was on the scheduling team and found a race condition: two receptionists booking the same slot at the same moment both succeeded. I added a unique constraint on provider and slot in Postgres and made the booking path handle the conflict gracefully by offering the next free slot. Double bookings went to zero, and the support queue for scheduling shrank by a third. The ticket had been closed twice before as user error, so I reproduced it with two browsers before touching the code.',
    retold:
      "At ClinicFlow I refused to close a bug as 'user error'. Clinics kept reporting double-booked patients, roughly 50 a week, and the ticket had been closed twice as receptionists clicking the wrong thing. I reproduced it with two browsers: when two receptionists grabbed the same slot at once, both bookings went through. I put a unique constraint on provider plus slot in Postgres and changed the booking flow to offer the next free slot on a conflict. We haven't had a double booking since.",
    another:
      "At ClinicFlow, on Maria's scheduling team, I worked on our Rails app and Postgres. No-shows were costing clinics around 18% of appointments. I proposed SMS reminders with a one-tap confirm or reschedule, built them with Twilio in 3 sprints, and ran a pilot with 5 clinics. No-shows dropped to 11% in the pilot clinics, so we rolled the reminders out to all 220 clinics over the next quarter. Receptionists liked it because they spent less time phoning patients, and the clinics used the freed slots for their waiting lists.",
  },
  {
    job: 'streaming partitions',
    told: 'At Telemetrix our Kafka cluster ingested data from 500,000 connected cars, and a partition imbalance meant one broker carried 40% of the traffic and fell over weekly. I was on the streaming team. I found that the partition key was the car model, which is heavily skewed, and changed it to the vehicle ID with a custom partitioner that kept per-car ordering. I migrated the producers over 2 weeks with dual writes. Broker failures stopped, and consumer lag fell from 25 minutes at peak to under 30 seconds.',
    retold:
      "At Telemetrix one Kafka broker kept dying, roughly weekly. Instead of adding hardware I looked at traffic by partition and saw that one broker was carrying about 40% of everything from our 500,000 cars. The partition key was the car model, and a few models dominate. Keying on vehicle ID fixed the skew while keeping each car's events in order. After moving producers over with dual writes, the crashes stopped and peak consumer lag went from 25 minutes to under half a minute.",
    another:
      "I worked on Telemetrix's Streaming team for Paul, with Kafka and Spark jobs in Scala processing car telemetry. Insurance partners wanted a driving-score feed, and our batch jobs produced it only daily. I built a Spark Structured Streaming job computing harsh braking and speeding events in 5-minute windows, with exactly-once output to S3. Two insurers launched usage-based pricing on it, bringing in $1.3M of new annual revenue. Getting exactly-once right took two attempts; the first version double-counted events after restarts, which I caught in a soak test before the partners saw anything.",
  },
  {
    job: 'video on slow networks',
    told: 'At Learnly, students in India on 2G-like connections abandoned 45% of video lessons in the first minute. I was on the Android team, and I added adaptive bitrate streaming with a 240p rendition and offline downloads with ExoPlayer. First-minute abandonment in India fell to 18%, and weekly lesson completions rose 30%. I also set up a network-throttled test device in our lab, so slow connections are tested before every release. The product team had not seen the problem because our office Wi-Fi hid it.',
    retold:
      'At Learnly I noticed that our growth market was being left behind: in India, where many of our students were on slow, 2G-like connections, 45% abandoned a video lesson within a minute. I pushed for treating low bandwidth as a first-class case rather than an edge case. On Android I added adaptive bitrate with a low 240p rendition, and let students download lessons offline through ExoPlayer. Abandonment in the first minute fell to 18% there, and completions per week went up 30%.',
    another:
      "I was on Learnly's Android team under Fatima, building in Kotlin with ExoPlayer for our video lessons. Our app's size was 95 MB and install conversion from the Play Store listing was dropping. I split features into dynamic modules, moved the quiz engine to download on demand, and compressed the image assets. The install size dropped to 38 MB and Play Store install conversion rose 12% over the next month. Fatima asked me to add an app-size check to our CI so that the size could not creep back up unnoticed.",
  },
  {
    job: 'monolith extraction',
    told: 'At Freightly, I led the extraction of the quoting engine from our PHP monolith into a Go service. Quotes took 3.5 seconds and the sales team lost loads to competitors who quoted faster. I used the strangler pattern, routing 5% of traffic to the new service and comparing answers. After 8 weeks we moved 100% over; quote latency fell to 400ms and quote-to-booking conversion rose 9%. I kept the quoting code of the monolith in place as a fallback for a month, so sales never saw an outage during the move, and I documented the pattern so the Core API team could use it for billing next.',
    retold:
      "At Freightly our sales reps were losing loads because our quotes took three and a half seconds; competitors answered almost instantly. I owned pulling the quoting engine out of the PHP monolith into Go. I didn't do a big-bang rewrite: I sent 5% of quote traffic to the new service, compared its prices with the old one, and ramped up as the differences went away. In 8 weeks all traffic was on the new service, at 400 milliseconds per quote, and conversion from quote to booking improved 9 percent.",
    another:
      "At Freightly I was on Alex's Core API team, working on our PHP monolith and the new Go services. Carriers were paid late because invoices were matched to loads by hand, with a backlog of 2,000 invoices. I built a matcher using the load number, carrier ID and amounts with fuzzy rules, and a review queue for uncertain matches. 85% of invoices were matched automatically, the backlog was cleared in 3 weeks, and carriers' average payment time went from 21 days to 9.",
  },
];

/**
 * Harder pairs: two different incidents on the same system (same service, same kind of event,
 * same people), and retellings that keep few figures or round them.
 */
const HARDER: StoryPair[] = [
  {
    name: 'payments payouts: another incident on the same consumer',
    kind: 'same-job',
    earlier: JOBS[0]!.told,
    later:
      'Another night on call for the Payouts team at Paystream: on payday the Kafka consumer that feeds the Postgres ledger stopped making progress, and payouts to merchants were stuck for 6 hours. Lag grew to 2.3 million messages. I found a single malformed payout instruction from a new bank integration that made the consumer crash and restart on the same offset, forever. I skipped the message by hand, with Dana on the call, and the backlog drained in 40 minutes. Then I added a dead-letter topic so one bad message can never stop the pipeline again, and an alarm on consumer lag per partition. Merchants got their money the same day.',
  },
  {
    name: 'logistics dispatch: another Black Friday problem',
    kind: 'same-job',
    earlier: JOBS[1]!.retold,
    later:
      "On the Dispatch team at Routewise, Black Friday week again, a different problem: drivers in the Manchester and Bristol depots couldn't download their routes to the driver app at the start of the morning shift. Route assignment itself was fine. The CDN in front of the route files was caching an error response for 10 minutes after a brief Redis hiccup, so every driver retrying got the cached error. I purged the cache, changed the CDN rule to never cache 5xx responses, and added a synthetic check that downloads a route per depot every minute. About 180 drivers started late that morning; Tom and I wrote to the depot managers the same day.",
  },
  {
    name: 'SRE alerting: another on-call change',
    kind: 'same-job',
    earlier: JOBS[12]!.told,
    later:
      "At Streamly, on the SRE team, our incidents dragged on because nobody knew who was in charge: in one outage five engineers were changing things at once. I proposed an incident commander role for the on-call rotation, wrote the runbook, and ran game days every month with Omar's support so people could practise it. I also built a Slack bot that opens an incident channel, pages the commander and starts a timeline. Over the next two quarters our median incident length fell from 95 minutes to 38, and post-mortems were written within 2 days instead of 2 weeks.",
  },
  {
    name: 'firmware update: another OTA rollout',
    kind: 'same-job',
    earlier: JOBS[15]!.told,
    later:
      'At HomeHive, after we had staged OTA rollouts, a firmware release with a new learning schedule started draining the batteries of thermostats installed without a common wire. The staged rollout was at 3% when our battery health signal fired, so it halted on its own, about 9,000 devices in. I was on the device cloud team and led the response with Kenji: we rolled those devices back to the previous firmware over the air, and the firmware team added a check for the missing wire. The fixed release went out two weeks later to all 1.4 million thermostats with no battery complaints.',
  },
  {
    name: 'search relevance: retold short, one figure kept',
    kind: 'retelling',
    earlier: JOBS[7]!.told,
    later:
      "At BookNest a lot of searches, nearly a fifth, came back empty, usually because people misspelled an author's name. I built a spelling dictionary from our catalog and a year of search queries and added fuzzy matching in Elasticsearch. After a two-week A/B test, far fewer searches came back empty and more searches turned into orders. The merchandising team now gets a weekly list of the top empty searches.",
  },
  {
    name: 'checkout conversion: retold with figures rounded',
    kind: 'retelling',
    earlier: JOBS[13]!.retold,
    later:
      'I would use the ZipCart checkout as my example of diving deep. Everyone knew mobile web converted worse than the app, by about ten points, but nobody knew where people gave up. I timed real sessions on phones and found the address form took close to half of the whole checkout. So I built address autocomplete and saved addresses in React, about a month of work, and A/B tested it. Mobile conversion went up almost four points, which finance valued at around two million dollars a year.',
  },
];

/** Stories with nothing specific in them, and stories from different jobs sharing a theme. */
const EXTRA: StoryPair[] = [
  {
    name: 'generic: two vague stories',
    kind: 'generic',
    earlier:
      'I once had a disagreement with a coworker about how to approach a project. We both had strong opinions and it was getting tense. I set up a meeting, listened to his side, and explained mine. We found a middle ground that used the best parts of both ideas. In the end the project went well and we became good friends. I learned that communication is really important and that listening first helps a lot.',
    later:
      'There was a time when our team was behind on a project and the deadline was close. I took the initiative to organise the work, talked to everyone about what they were doing, and we all worked hard to get it done. We delivered on time and the customer was happy with the result. I learned that teamwork and communication are the keys to success, and I still try to keep everyone aligned. My manager thanked me afterwards.',
  },
  {
    name: 'generic: two vague stories about customers',
    kind: 'generic',
    earlier:
      'A customer was unhappy with our product and escalated to my manager. I called the customer, listened to the problem and promised to fix it. I worked with the team to find a solution and we released an update. The customer was satisfied and continued using our product. This taught me to always put the customer first and to follow up after a fix. I also made sure to keep my manager updated the whole time so there were no surprises, and we checked in with the customer a month later.',
    later:
      'Our users were complaining that a feature was hard to use. I looked at the feedback, talked to some of the users, and worked with the designer to improve it. We released the new version and the complaints went down a lot. The users were much happier, and the team learned to test ideas with users earlier. Customer feedback is something I always pay attention to now. I shared the before and after numbers with the team in our weekly review.',
  },
  {
    name: 'other: two latency stories from different jobs',
    kind: 'other',
    earlier:
      'At a travel startup, Tripster, our hotel search API had a p99 latency of 2 seconds because every request called three supplier APIs in sequence. I parallelised the supplier calls with a 400ms timeout each and cached availability for 5 minutes in Redis. p99 fell to 600ms, and bookings from search rose 7% in the following month. The supplier teams were worried about extra load, so I agreed per-supplier rate limits with them first. I also added a dashboard of supplier response times so we could see which one slowed us down.',
    later:
      'At a bank, Northbank, our statement page took 2 seconds to load because it queried the mainframe for every transaction. I added a read model in Postgres fed by change data capture, so the page read from one table. Load time fell to 300ms, calls to the contact centre about statements dropped 20%, and the mainframe team was happy to see its load fall too. The hardest part was convincing the mainframe team that change data capture would not slow their batch jobs, so I ran a two-week trial with them first.',
  },
  {
    name: 'other: two on-call stories from different jobs',
    kind: 'other',
    earlier:
      'At Parcelly, a courier company, I was on call when our label printing service went down on a Monday morning and 300 depots could not print labels. I rolled back the release from the night before, which fixed it in 25 minutes, and found the bug was a changed date format. I added a contract test with the printers so the format cannot change silently again. I also called the three biggest depots myself to explain what happened and when labels would be back.',
    later:
      'At Cinemax Online, I was on call when the seat map failed for a blockbuster premiere and fans could not book for 25 minutes. The database connection pool was exhausted by a new report query. I killed the query, moved reporting to a read replica and added a statement timeout for reporting users. Sales recovered and we sold out by the evening. The next morning I wrote the post-mortem and walked the analytics team through why reports must never run on the primary again.',
  },
];

export const STORY_PAIRS: StoryPair[] = [...pairsOf(JOBS), ...HARDER, ...EXTRA];
