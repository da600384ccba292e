ALTER TABLE "apps" ADD COLUMN "webpush_subject" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webpush_public_key" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "webpush_private_key_sealed" text;--> statement-breakpoint
ALTER TABLE "device_tokens" ADD COLUMN "push_keys" text;