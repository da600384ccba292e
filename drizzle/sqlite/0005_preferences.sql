ALTER TABLE `apps` ADD `quiet_delivery` text DEFAULT 'drop' NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `silenced` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `notification_settings` ADD `level` text;--> statement-breakpoint
ALTER TABLE `notification_settings` ADD `muted_until` integer;--> statement-breakpoint
ALTER TABLE `notification_settings` ADD `snoozed_until` integer;--> statement-breakpoint
ALTER TABLE `notification_settings` ADD `quiet_hours` text;--> statement-breakpoint
-- Written by hand: a v1 channel switch becomes its level.
UPDATE `notification_settings` SET `level` = CASE WHEN `enabled` THEN 'all' ELSE 'none' END WHERE `scope` = 'channel';