CREATE TABLE `recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`session_question_id` integer NOT NULL,
	`message_id` integer,
	`source` text NOT NULL,
	`transcript` text NOT NULL,
	`segments` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`delivery` text NOT NULL,
	`audio` blob,
	`audio_type` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_question_id`) REFERENCES `session_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recordings_message_id_unique` ON `recordings` (`message_id`);--> statement-breakpoint
CREATE INDEX `recordings_session_idx` ON `recordings` (`session_id`);