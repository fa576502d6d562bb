-- Valid-time spans of dated rows (DESIGN.md §2). A partial date names a period: a start in 2016
-- may lie on any day of 2016. The *possible* span runs from the earliest day the row may cover to
-- the latest; the *certain* span only over the days it covers whatever the exact dates are.
-- A missing start means "since an unknown day" and a missing end "ongoing": both unbounded.
-- Invariants (one holder per post and day, …) are enforced on the certain span: a handover
-- recorded only as "2016" and "2016" is not refused, a handover with exact days must not overlap.
CREATE OR REPLACE FUNCTION rb_possible_span(
  start_day date, start_period date_precision, end_day date, end_period date_precision
) RETURNS daterange
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- An end before the start is refused by the tables' *_end_not_before_start checks; the span of
  -- such a row is empty here rather than an error, so that the check (23514, naming the
  -- constraint) is what the writer sees: generated columns are computed before checks run.
  SELECT CASE
    WHEN start_day IS NOT NULL AND end_day IS NOT NULL
      AND start_day > rb_period_end(end_day, end_period::text) THEN 'empty'::daterange
    ELSE daterange(start_day, rb_period_end(end_day, end_period::text), '[]')
  END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rb_certain_span(
  start_day date, start_period date_precision, end_day date, end_period date_precision
) RETURNS daterange
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN start_day IS NOT NULL AND end_day IS NOT NULL
      AND rb_period_end(start_day, start_period::text) > end_day THEN 'empty'::daterange
    ELSE daterange(rb_period_end(start_day, start_period::text), end_day, '[]')
  END
$$;
