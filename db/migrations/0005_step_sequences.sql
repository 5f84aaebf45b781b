CREATE TABLE "lead_tags" (
	"lead_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lead_tags_lead_id_tag_pk" PRIMARY KEY("lead_id","tag")
);
--> statement-breakpoint
CREATE TABLE "line_quota_state" (
	"month" text PRIMARY KEY NOT NULL,
	"held_since" timestamp with time zone,
	"warned_80_at" timestamp with time zone,
	"warned_100_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sequence_enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"sequence_id" text NOT NULL,
	"trigger" text NOT NULL,
	"state" text NOT NULL,
	"stop_reason" text,
	"next_step" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"send_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"resume_at" timestamp with time zone,
	"enrolled_by" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "step_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"sequence_id" text NOT NULL,
	"step_index" integer NOT NULL,
	"status" text NOT NULL,
	"retry_key" uuid,
	"dispatched_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "opted_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "timing_asked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead_tags" ADD CONSTRAINT "lead_tags_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_enrolments" ADD CONSTRAINT "sequence_enrolments_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_sends" ADD CONSTRAINT "step_sends_enrolment_id_sequence_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."sequence_enrolments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "step_sends" ADD CONSTRAINT "step_sends_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_tags_tag_idx" ON "lead_tags" USING btree ("tag");--> statement-breakpoint
CREATE INDEX "sequence_enrolments_lead_idx" ON "sequence_enrolments" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "sequence_enrolments_sequence_idx" ON "sequence_enrolments" USING btree ("sequence_id","state");--> statement-breakpoint
CREATE INDEX "sequence_enrolments_send_idx" ON "sequence_enrolments" USING btree ("send_at") WHERE "sequence_enrolments"."state" = 'active';--> statement-breakpoint
CREATE INDEX "sequence_enrolments_resume_idx" ON "sequence_enrolments" USING btree ("resume_at") WHERE "sequence_enrolments"."state" = 'paused';--> statement-breakpoint
CREATE UNIQUE INDEX "sequence_enrolments_live_key" ON "sequence_enrolments" USING btree ("lead_id","sequence_id") WHERE "sequence_enrolments"."state" in ('active', 'paused');--> statement-breakpoint
CREATE UNIQUE INDEX "step_sends_enrolment_step_key" ON "step_sends" USING btree ("enrolment_id","step_index");--> statement-breakpoint
CREATE INDEX "step_sends_lead_idx" ON "step_sends" USING btree ("lead_id","dispatched_at");--> statement-breakpoint
CREATE INDEX "step_sends_held_idx" ON "step_sends" USING btree ("dispatched_at") WHERE "step_sends"."status" = 'held';