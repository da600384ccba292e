ALTER TABLE "apps" ADD COLUMN "burst_window_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "folded" integer DEFAULT 0 NOT NULL;