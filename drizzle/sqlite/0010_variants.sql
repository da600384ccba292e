ALTER TABLE `apps` ADD `variants_sealed` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `variant` text;