-- jsonb values written inside a transaction on PostgreSQL were JSON-encoded twice: the transaction
-- clients did not have drizzle's setting that lets drizzle alone JSON-encode json/jsonb parameters,
-- so postgres.js encoded drizzle's JSON text once more, and the column held a jsonb string whose
-- text is the JSON of the value ('"{\"timing\":...}"' for {"timing": ...}, '"\"U0REP\""' for
-- "U0REP", '"3200000"' for 3200000). Reads through the repositories hid it (drizzle parses a string
-- it reads once more); SQL on the values (->>, #>> '{}') did not. This decodes those values once.
--
-- A value is decoded only when it is a jsonb string, its text is what JSON.stringify makes of the
-- type the app writes in that place, and that text parses as JSON of exactly that type:
--   lead_history old_value/new_value: owner_changed and stage_changed hold strings (Slack user ids,
--     stage names), timing_changed objects ({timing, segment}), amount_changed numbers; other facts
--     hold no values and are left alone;
--   messages, outbox, line_webhook_events payload: always objects.
-- A string stored once is left as it is: an id or a stage name is not the JSON text of a string
-- (it does not start and end with a double quote), nor of an object or a number; and an amount or
-- a payload is never legitimately a string. Values written correctly (objects, numbers, NULL) are
-- not strings and are not looked at. Running it again changes nothing.
CREATE FUNCTION "tsuikyaku_jsonb_decoded_once"("value" jsonb, "natural" text) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  encoded text;
  looks_encoded boolean;
  decoded jsonb;
BEGIN
  IF "value" IS NULL OR "natural" IS NULL OR jsonb_typeof("value") <> 'string' THEN
    RETURN "value";
  END IF;
  encoded := "value" #>> '{}';
  -- What JSON.stringify makes of that type; anything else is a plain string and is kept.
  looks_encoded := CASE "natural"
    WHEN 'string' THEN encoded LIKE '"%"'
    WHEN 'object' THEN encoded LIKE '{%}'
    WHEN 'number' THEN encoded ~ '^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$'
    ELSE false
  END;
  IF NOT looks_encoded THEN
    RETURN "value";
  END IF;
  BEGIN
    decoded := encoded::jsonb;
  EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
    RETURN "value";
  END;
  IF jsonb_typeof(decoded) = "natural" THEN
    RETURN decoded;
  END IF;
  RETURN "value";
END
$$;
--> statement-breakpoint
-- lead_history is append-only (its trigger refuses every UPDATE but an erasure's): the trigger is
-- disabled for this one rewrite only. ALTER TABLE is part of the migration's transaction: no
-- other session sees the table without its trigger (it waits on the table's lock until commit),
-- and a failure rolls the trigger's state back with everything else.
ALTER TABLE "lead_history" DISABLE TRIGGER "lead_history_append_only";
--> statement-breakpoint
UPDATE "lead_history" AS h SET
  "old_value" = "tsuikyaku_jsonb_decoded_once"(h."old_value", n."natural"),
  "new_value" = "tsuikyaku_jsonb_decoded_once"(h."new_value", n."natural")
FROM (VALUES
  ('owner_changed', 'string'),
  ('stage_changed', 'string'),
  ('timing_changed', 'object'),
  ('amount_changed', 'number')
) AS n("fact", "natural")
WHERE h."fact" = n."fact"
  AND (jsonb_typeof(h."old_value") = 'string' OR jsonb_typeof(h."new_value") = 'string')
  AND ("tsuikyaku_jsonb_decoded_once"(h."old_value", n."natural") IS DISTINCT FROM h."old_value"
    OR "tsuikyaku_jsonb_decoded_once"(h."new_value", n."natural") IS DISTINCT FROM h."new_value");
--> statement-breakpoint
ALTER TABLE "lead_history" ENABLE TRIGGER "lead_history_append_only";
--> statement-breakpoint
UPDATE "messages" SET "payload" = "tsuikyaku_jsonb_decoded_once"("payload", 'object')
WHERE jsonb_typeof("payload") = 'string'
  AND "tsuikyaku_jsonb_decoded_once"("payload", 'object') IS DISTINCT FROM "payload";
--> statement-breakpoint
UPDATE "outbox" SET "payload" = "tsuikyaku_jsonb_decoded_once"("payload", 'object')
WHERE jsonb_typeof("payload") = 'string'
  AND "tsuikyaku_jsonb_decoded_once"("payload", 'object') IS DISTINCT FROM "payload";
--> statement-breakpoint
UPDATE "line_webhook_events" SET "payload" = "tsuikyaku_jsonb_decoded_once"("payload", 'object')
WHERE jsonb_typeof("payload") = 'string'
  AND "tsuikyaku_jsonb_decoded_once"("payload", 'object') IS DISTINCT FROM "payload";
--> statement-breakpoint
DROP FUNCTION "tsuikyaku_jsonb_decoded_once"(jsonb, text);
