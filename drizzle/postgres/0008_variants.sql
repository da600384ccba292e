ALTER TABLE "apps" ADD COLUMN "variants_sealed" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "variant" text;