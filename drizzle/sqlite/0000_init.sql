CREATE TABLE `debriefs` (
	`session_id` text PRIMARY KEY NOT NULL,
	`debrief` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `grades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_question_id` integer NOT NULL,
	`session_id` text NOT NULL,
	`score` real NOT NULL,
	`grade` text NOT NULL,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_question_id`) REFERENCES `session_questions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `grades_session_question_id_unique` ON `grades` (`session_question_id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`session_question_id` integer,
	`role` text NOT NULL,
	`kind` text NOT NULL,
	`content` text NOT NULL,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_question_id`) REFERENCES `session_questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_session_idx` ON `messages` (`session_id`,`id`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`number` integer,
	`prompt` text NOT NULL,
	`reference_answer` text NOT NULL,
	`category` text NOT NULL,
	`rubric_id` text NOT NULL,
	`topics` text NOT NULL,
	`leadership_principles` text NOT NULL,
	`signals` text NOT NULL,
	`pitfalls` text NOT NULL,
	`source` text NOT NULL,
	`content_hash` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `questions_category_idx` ON `questions` (`category`);--> statement-breakpoint
CREATE INDEX `questions_source_idx` ON `questions` (`source`);--> statement-breakpoint
CREATE TABLE `session_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`position` integer NOT NULL,
	`question_id` text NOT NULL,
	`state` text NOT NULL,
	`follow_ups` integer DEFAULT 0 NOT NULL,
	`time_box_seconds` integer NOT NULL,
	`asked_at` text,
	`answered_at` text,
	`done_at` text,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `session_questions_pos_idx` ON `session_questions` (`session_id`,`position`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`request` text NOT NULL,
	`seed` text NOT NULL,
	`max_follow_ups` integer NOT NULL,
	`current_position` integer DEFAULT 0 NOT NULL,
	`provider` text NOT NULL,
	`model` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `sessions_created_idx` ON `sessions` (`created_at`);