CREATE TABLE "dead_letters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"reason" text NOT NULL,
	"raw" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_source_key" ON "dead_letters" USING btree ("source","dedupe_key");