import { type Job, pairsOf, type StoryPair } from './story-pairs.js';

/**
 * Held-out story pairs for the story-reuse detector: written before the detector was tuned and
 * measured only at the end, in other styles than the training pairs (bench/calibration/story-pairs.ts):
 * spoken answers as a transcript gives them (fillers, numbers in words), and terse answers with
 * the STAR headings written out. Nothing in `src/grading/story-reuse.ts` was tuned on them.
 */
const HELD_OUT_JOBS: Job[] = [
  {
    job: 'drone wind aborts (spoken)',
    told: "okay so, um, at SkyDrop I was on the flight software team and we had this thing where drones were aborting deliveries because the wind estimate was wrong, like about seven percent of flights in the autumn were returning to base with the parcel still on. I went through the flight logs, and it turned out the anemometer reading was being averaged over thirty seconds, which is way too slow for gusts. So I changed it to a ten second window and added a gust margin to the go/no-go check. Um, aborts went down to under two percent, and we, uh, we didn't have a single wind incident that winter. My manager Elena asked me to write it up for the safety board.",
    retold:
      "So the one I'd pick for that is the wind abort thing at SkyDrop. Basically around seven percent of our drone deliveries that autumn came back to base without dropping the parcel, because the drone thought the wind was too strong. And, uh, people assumed it was a sensor hardware fault. I didn't buy it, so I pulled the flight logs and, you know, the wind speed was averaged over thirty seconds, so a single gust would stick around in the number for ages. I shortened that to ten seconds and put a gust margin into the go no-go logic. After that aborts were under two percent, and we got through the winter with zero wind incidents. I presented it to the safety board too.",
    another:
      "Right, so, still at SkyDrop, flight software, reporting to Elena. Our drones had to plan routes around no-fly zones, and the zones came from a government feed that, um, updated maybe twice a day. One time a temporary zone for a hospital helicopter pad wasn't in our data and a drone got within, like, four hundred meters of it. Nobody was hurt but I took it really seriously. I built an ingestion service that polls the feed every five minutes and a pre-flight check that refuses to launch if the zone data is older than fifteen minutes. We reported it to the regulator ourselves, and they actually used our check as an example for other operators.",
  },
  {
    job: 'email blocklist (STAR headings)',
    told: "Situation: At Glowbox, our shared sending IPs got listed on Spamhaus after one customer uploaded a purchased list; open rates for 3,000 other customers dropped by a third overnight. Task: As the deliverability engineer I had to get us delisted and stop it happening again. Action: I suspended the customer's sending, contacted Spamhaus with evidence of remediation, and moved new accounts to a warm-up pool of separate IPs for their first 30 days. I also added a list-quality check that rejects uploads with more than 5% invalid addresses. Result: Delisted in 26 hours, open rates back within a week, and no listing in the 14 months since.",
    retold:
      'Situation: A single customer at Glowbox mailed a bought list and our shared IPs ended up on the Spamhaus blocklist. About 3,000 innocent customers saw opens fall roughly 33%. Task: Customer obsession meant protecting those 3,000, not just the one account. Action: Paused the offender. Worked the delisting with Spamhaus directly. Introduced a 30-day warm-up IP pool for new accounts, plus an upload check rejecting lists above 5% invalid. Result: Off the list after 26 hours; no relisting for over a year since.',
    another:
      'Situation: At Glowbox I worked on deliverability under Ruth, on our Postfix and Kafka sending pipeline. Gmail started requiring one-click unsubscribe and DMARC alignment for bulk senders, with a deadline 4 months out. Task: Make all 9,000 customer domains compliant. Action: I built a DNS checker that told each customer exactly which record was missing, added one-click unsubscribe headers to every campaign, and ran weekly reports for the customer success team. Result: 96% of sending domains were compliant by the deadline, and our Gmail inbox placement rose from 82% to 91%.',
  },
  {
    job: 'crop yield (spoken)',
    told: "Um, so at Harvest we predicted crop yields for farmers from satellite images and soil sensors. And in, uh, the 2022 season the model was off by like thirty percent for farms in one valley. I went out there, actually drove out, and talked to a couple of farmers, and it turned out they irrigate with a drip system we didn't model at all, so the satellite showed dry soil but the plants were fine. I added irrigation type as a feature, and, uh, got the co-op to share irrigation records for about two hundred farms. Error in that valley dropped to eight percent, and the co-op signed up all its members.",
    retold:
      'Okay so for learn and be curious, I think of the valley problem at Harvest. Our yield predictions for that one valley in 2022 were wrong by roughly thirty percent, and the data science team figured the satellite imagery was bad. I was curious why just that valley, so I drove out and spoke to farmers. They all used drip irrigation, which our model had no idea about: from space the soil looked dry but the crops were doing great. I got irrigation records for around two hundred farms from the co-op and put irrigation type into the model. The error there went to eight percent. And the co-op ended up enrolling every member.',
    another:
      "So this is also from Harvest, where I was on Diego's data team, uh, working with the satellite imagery pipeline and the soil sensors. The sensors ran on batteries and farmers kept complaining that they died after, like, three months instead of a year. I looked at the firmware logs and the sensors were waking up every minute to send readings even when nothing changed. I worked with the hardware guy to send only on change, plus a daily heartbeat. Battery life went to about fourteen months and our replacement costs dropped by about sixty thousand dollars a year.",
  },
  {
    job: 'ticket onsale (STAR headings)',
    told: 'Situation: Tixly was selling tickets for a stadium tour; 900,000 fans joined at 10am for 60,000 seats. Our previous big onsale had crashed the checkout. Task: I owned the virtual waiting room. Action: Built a queue using signed tokens at the CDN edge so only 5,000 users were in checkout at any time; load-tested to 1.2M concurrent users; added a fairness rule so that clients holding many tokens, which is what bots do, were dropped. Result: Zero downtime, sold out in 47 minutes, bot purchases estimated below 2%.',
    retold:
      'Situation: Stadium tour onsale at Tixly. 60,000 seats, about 900k people arriving at 10am, and the last major onsale took checkout down. Task: My piece was the waiting room in front of checkout. Action: Admission by signed tokens issued at the CDN edge, capping checkout at 5,000 concurrent shoppers. Ran load tests at 1.2 million. Dropped clients holding many tokens, which is how bots behaved. Result: Sold out in 47 min, site never went down, bots under 2% of sales.',
    another:
      "Situation: I was a backend engineer on Tixly's platform team, under Oskar, working on the Node checkout and the Redis seat-hold service. Fans complained that seats shown as available vanished at payment. Task: Find out why and fix it. Action: Found that holds expired after 5 minutes while the payment provider's 3-D Secure step could take 8; extended holds during payment and showed a countdown timer. Result: 'seat lost at payment' complaints fell 80% and checkout completion rose 6%.",
  },
  {
    job: 'surge pricing (spoken)',
    told: 'So at Rideo, um, our surge pricing was kicking in during, like, the school run every weekday, and riders in the suburbs were really angry, we got a spike in one-star ratings. I dug into it and surge was computed on a one-kilometer grid, and the suburbs had so few drivers that, like, two requests would trigger a 2x multiplier. I proposed smoothing demand over neighbouring cells and a cap of 1.5x in low-density areas. We tested it in three cities for a month. Suburban complaints dropped by about half and, uh, driver earnings did not change.',
    retold:
      "I think, for a time I disagreed with my team, um, it was surge pricing at Rideo. The pricing team thought suburban riders complaining during the school run was just noise. I showed them that with a one-kilometer grid, two ride requests in a sparse suburb was enough to double the price. They wanted to keep it because it brings drivers in, and I argued drivers weren't coming anyway. We agreed to test smoothing over neighbouring cells with a 1.5x cap in low-density areas, in three cities for a month. Complaints halved and drivers earned the same.",
    another:
      "Uh, so at Rideo I was on Sophie's pricing team, it's Python services and a Kafka feed of ride requests. We had an issue where airport pickups were, um, priced before the ride with the wrong toll, because the toll table was updated by hand once a quarter. Riders got charged extra on like four percent of airport rides. I automated the toll ingestion from the transport authority's API and added a daily check. We refunded about eleven thousand riders proactively and the toll error rate went to basically zero.",
  },
  {
    job: 'offline edits (STAR headings)',
    told: 'Situation: Quill users editing the same document offline lost changes when they reconnected, in about 1 in 300 sessions. Task: I owned sync. Action: Replaced our last-write-wins merge with a CRDT (Yjs), migrated 40 million documents in the background, and kept both formats readable for 2 releases. Result: Lost-edit reports went from ~120/month to 3, and we launched offline mode for mobile.',
    retold:
      "Situation: Offline edits at Quill were being overwritten on reconnect in roughly one of every 300 sessions. Task: Sync was mine, and losing a user's writing is the worst thing an editor can do. Action: Moved from last-write-wins to the Yjs CRDT; background migration of 40M docs; readers for both formats for two releases so nothing broke on rollback. Result: Lost edits reports went from around 120 a month down to 3, and the work made mobile offline mode possible.",
    another:
      "Situation: At Quill I worked on Hannah's editor team; React front end, Node and Postgres backend, Yjs for sync. Large documents over 200 pages took 14 seconds to open. Task: Get open time under 2 seconds. Action: Added lazy loading of pages outside the viewport and snapshot compaction, so clients don't replay the full update history. Result: 200-page docs open in 1.6 seconds; enterprise churn citing performance dropped in the next renewals.",
  },
  {
    job: 'tower alarms (spoken)',
    told: "So at NetCell, we had, um, cell towers going down in storms and the field teams found out from customer calls, like hours later. I built an alarm correlation thing, basically, it grouped the tower alarms with the power company's outage feed, so we could tell a power cut from a real equipment fault. Um, that cut truck rolls by about a quarter, because we stopped sending technicians to towers that were just waiting for power. And mean time to restore went from six hours to, uh, two and a half.",
    retold:
      "Okay, um, an example of inventing something simple. At NetCell, whenever there was a storm, towers dropped and we learned from customers calling in. We'd send technicians to every tower, but a lot of them were just down because the power was out. So I correlated tower alarms with the electricity company's outage feed, so it shows whether it's power or equipment. Truck rolls fell about 25 percent and restore time went from 6 hours to about 2.5.",
    another:
      "Yeah so, also NetCell, on Ivan's network automation team, we wrote Python against the tower management systems. Firmware upgrades for towers were done by hand, one engineer could do maybe, like, twenty a night. I wrote an Ansible-based pipeline with pre-checks and automatic rollback, and we piloted it on one region. Then we did, uh, four thousand towers in a month with two rollbacks, and the engineers who did it by hand moved on to capacity planning.",
  },
  {
    job: 'solar quotes (STAR headings)',
    told: 'Situation: Brightly sales reps took 3 days to send a solar quote because roof measurements needed a site visit. Task: Cut quote time. Action: Built a tool that estimates roof area and pitch from aerial imagery and LiDAR, validated on 500 installed roofs (median error 4%). Result: Same-day quotes for 80% of leads; close rate up 14%.',
    retold:
      "Situation: Solar quotes at Brightly needed a site visit to measure the roof, so customers waited three days. Task: I wanted customers to get a price while still interested. Action: Estimated roof area and pitch from aerial imagery plus LiDAR; checked against 500 roofs we'd already installed, median error 4%. Result: 80% of leads quoted the same day; closing rate +14%.",
    another:
      "Situation: At Brightly I was on Lena's software team, building the quote tool and installer scheduling in Django. Installers arrived at jobs without the right panels in 1 of 10 installs, costing a second visit. Task: Fix parts planning. Action: Linked the quote's panel layout to the warehouse pick list and added a van-loading checklist in the installer app. Result: Missing-parts return visits fell from 10% to 1.5%.",
  },
];

export const HELD_OUT_PAIRS: StoryPair[] = pairsOf(HELD_OUT_JOBS);
