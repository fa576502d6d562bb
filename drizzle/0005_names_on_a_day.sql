-- The name an organisation had on a day: a dated other name (one with an end) that covers the
-- day, else its current name. Undated other names are alternatives, never a former name.
CREATE OR REPLACE FUNCTION rb_organisation_name_on(organisation uuid, day date) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    (SELECT n.name FROM organisation_names n
      WHERE n.organisation_id = organisation AND n.end_date IS NOT NULL
        AND (n.start_date IS NULL OR n.start_date <= day)
        AND rb_period_end(n.end_date, n.end_precision::text) >= day
      ORDER BY n.end_date, n.position LIMIT 1),
    (SELECT o.name FROM organisations o WHERE o.id = organisation))
$$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS organisation_names_dated_idx ON organisation_names (organisation_id, end_date)
  WHERE end_date IS NOT NULL;
