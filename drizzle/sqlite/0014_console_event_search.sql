CREATE INDEX `events_app_received` ON `events` (`app_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_app_type_received` ON `events` (`app_id`,`type`,`received_at`,`id`);