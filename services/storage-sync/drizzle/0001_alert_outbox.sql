-- Written by hand from the generated statements: files of earlier versions already have this table and index,
-- created by the alerts code with exactly this definition, so both are created only if missing.
CREATE TABLE IF NOT EXISTS `alert_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`client_key` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`source_sha256` text NOT NULL,
	`verdict` text NOT NULL,
	`content` text NOT NULL,
	`queued_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` text,
	`failed_at` text,
	`message_id` text,
	UNIQUE (`client_key`, `period_from`, `period_to`, `source_sha256`)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `alert_outbox_pending` ON `alert_outbox` (`id`) WHERE `sent_at` IS NULL AND `failed_at` IS NULL;
