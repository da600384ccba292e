ALTER TABLE "apps" ADD COLUMN "webhook_event_types" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_other_events" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_disable_after_failures" integer;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_disable_after_seconds" integer;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_disabled_reason" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webhook_disabled_by" text;