CREATE INDEX "assignments_started_by_transition_idx" ON "assignments" USING btree ("started_by_transition_id") WHERE started_by_transition_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_ended_by_transition_idx" ON "assignments" USING btree ("ended_by_transition_id") WHERE ended_by_transition_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_ended_by_event_idx" ON "assignments" USING btree ("ended_by_event_id") WHERE ended_by_event_id IS NOT NULL;--> statement-breakpoint
-- A partial date as the API writes it (src/domain/partial-date.ts formatPartialDate), so that reads
-- which build their JSON in the database (the organisation tree) answer exactly as the others do.
-- to_char, not ::text, so that the session's DateStyle cannot change the answer.
CREATE OR REPLACE FUNCTION rb_partial_date_text(day date, day_precision date_precision) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE day_precision
           WHEN 'year' THEN to_char(day, 'YYYY')
           WHEN 'month' THEN to_char(day, 'YYYY-MM')
           WHEN 'day' THEN to_char(day, 'YYYY-MM-DD')
         END
$$;
