-- Extensions the schema relies on: btree_gist for exclusion constraints over (id, daterange),
-- pg_trgm and unaccent for German-aware, typo-tolerant search.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
-- The last day of the period a partial date names: 2016 -> 2016-12-31, 2016-02 -> 2016-02-29.
-- IMMUTABLE so that check constraints, indexes and exclusion constraints may use it.
CREATE OR REPLACE FUNCTION rb_period_end(first_day date, period text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE period
    WHEN 'year' THEN (date_trunc('year', first_day::timestamp) + interval '1 year - 1 day')::date
    WHEN 'month' THEN (date_trunc('month', first_day::timestamp) + interval '1 month - 1 day')::date
    ELSE first_day
  END
$$;
