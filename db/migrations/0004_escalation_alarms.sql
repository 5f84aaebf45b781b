CREATE TABLE "escalation_alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"owner_id" text,
	"waiting_since" timestamp with time zone NOT NULL,
	"waited_minutes" integer NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"taken_by" text,
	"taken_at" timestamp with time zone,
	"hinted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "escalation_alarms" ADD CONSTRAINT "escalation_alarms_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "escalation_alarms_channel_ts_key" ON "escalation_alarms" USING btree ("channel_id","ts");--> statement-breakpoint
CREATE INDEX "escalation_alarms_lead_idx" ON "escalation_alarms" USING btree ("lead_id");