CREATE TABLE `code_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`session_question_id` integer NOT NULL,
	`kind` text NOT NULL,
	`language` text NOT NULL,
	`code` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_question_id`) REFERENCES `session_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `code_runs_session_idx` ON `code_runs` (`session_id`,`id`);