ALTER TABLE `apps` ADD `webhook_event_types` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_other_events` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_disable_after_failures` integer;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_disable_after_seconds` integer;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_disabled_at` integer;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_disabled_reason` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webhook_disabled_by` text;