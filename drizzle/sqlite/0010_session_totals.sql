ALTER TABLE `sessions` ADD `question_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `skipped_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `graded_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `score_sum` real DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `prompt_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `completion_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `sessions` SET
  `question_count` = (SELECT count(*) FROM `session_questions` q WHERE q.`session_id` = `sessions`.`id`),
  `skipped_count` = (SELECT count(*) FROM `session_questions` q WHERE q.`session_id` = `sessions`.`id` AND q.`state` = 'skipped'),
  `graded_count` = (SELECT count(*) FROM `grades` g WHERE g.`session_id` = `sessions`.`id`),
  `score_sum` = (SELECT coalesce(sum(g.`score`), 0) FROM `grades` g WHERE g.`session_id` = `sessions`.`id`),
  `prompt_tokens` = (SELECT coalesce(sum(g.`prompt_tokens`), 0) FROM `grades` g WHERE g.`session_id` = `sessions`.`id`)
    + (SELECT coalesce(sum(m.`prompt_tokens`), 0) FROM `messages` m WHERE m.`session_id` = `sessions`.`id`),
  `completion_tokens` = (SELECT coalesce(sum(g.`completion_tokens`), 0) FROM `grades` g WHERE g.`session_id` = `sessions`.`id`)
    + (SELECT coalesce(sum(m.`completion_tokens`), 0) FROM `messages` m WHERE m.`session_id` = `sessions`.`id`);
--> statement-breakpoint
CREATE TRIGGER `session_totals_question_added` AFTER INSERT ON `session_questions` BEGIN
  UPDATE `sessions` SET `question_count` = `question_count` + 1, `skipped_count` = `skipped_count` + (NEW.`state` = 'skipped')
  WHERE `id` = NEW.`session_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `session_totals_question_state` AFTER UPDATE OF `state` ON `session_questions`
WHEN (OLD.`state` = 'skipped') <> (NEW.`state` = 'skipped') BEGIN
  UPDATE `sessions` SET `skipped_count` = `skipped_count` + (NEW.`state` = 'skipped') - (OLD.`state` = 'skipped')
  WHERE `id` = NEW.`session_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `session_totals_grade_added` AFTER INSERT ON `grades` BEGIN
  UPDATE `sessions` SET `graded_count` = `graded_count` + 1, `score_sum` = `score_sum` + NEW.`score`,
    `prompt_tokens` = `prompt_tokens` + coalesce(NEW.`prompt_tokens`, 0),
    `completion_tokens` = `completion_tokens` + coalesce(NEW.`completion_tokens`, 0)
  WHERE `id` = NEW.`session_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `session_totals_message_added` AFTER INSERT ON `messages`
WHEN NEW.`prompt_tokens` IS NOT NULL OR NEW.`completion_tokens` IS NOT NULL BEGIN
  UPDATE `sessions` SET `prompt_tokens` = `prompt_tokens` + coalesce(NEW.`prompt_tokens`, 0),
    `completion_tokens` = `completion_tokens` + coalesce(NEW.`completion_tokens`, 0)
  WHERE `id` = NEW.`session_id`;
END;
