CREATE INDEX `grades_session_idx` ON `grades` (`session_id`);--> statement-breakpoint
CREATE INDEX `messages_question_idx` ON `messages` (`session_question_id`,`id`);--> statement-breakpoint
CREATE INDEX `sessions_claim_idx` ON `sessions` (`turn_claimed_until`);