ALTER TABLE `apps` ADD `webpush_subject` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webpush_public_key` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `webpush_private_key_sealed` text;--> statement-breakpoint
ALTER TABLE `device_tokens` ADD `push_keys` text;