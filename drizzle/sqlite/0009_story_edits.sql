CREATE TABLE `story_edits` (
	`user_id` text NOT NULL,
	`story_key` text NOT NULL,
	`title` text,
	`merged_into` text,
	`deleted_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `story_key`)
);
