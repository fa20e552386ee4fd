CREATE TABLE `idempotency_keys` (
	`session_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`state` text NOT NULL,
	`result` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`session_id`, `key`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `session_questions` ADD `question` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `turn_claimed_by` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `turn_claimed_until` text;