CREATE TABLE "lead_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lead_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"fact" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"reason" text,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead_history" ADD CONSTRAINT "lead_history_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lead_history_lead_idx" ON "lead_history" USING btree ("lead_id","at");--> statement-breakpoint
CREATE INDEX "lead_history_fact_idx" ON "lead_history" USING btree ("fact","at");--> statement-breakpoint
-- lead_history is append-only: no row is ever changed or removed, except that erasing a lead
-- (which sets tsuikyaku.erasing for its transaction) clears the free text a person wrote.
CREATE FUNCTION "lead_history_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('tsuikyaku.erasing', true) = 'on'
    AND NEW.id = OLD.id AND NEW.lead_id = OLD.lead_id AND NEW.at = OLD.at AND NEW.actor = OLD.actor
    AND NEW.fact = OLD.fact AND NEW.old_value IS NOT DISTINCT FROM OLD.old_value
    AND NEW.new_value IS NOT DISTINCT FROM OLD.new_value
    AND NEW.reason IS NOT DISTINCT FROM OLD.reason AND NEW.note IS NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'lead_history is append-only (% refused)', TG_OP USING ERRCODE = '55000';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "lead_history_append_only" BEFORE UPDATE OR DELETE ON "lead_history"
  FOR EACH ROW EXECUTE FUNCTION "lead_history_append_only"();
