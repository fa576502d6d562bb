-- What if: the "same post once" exclusion constraint leads with post_id instead of person_id.
-- Same semantics (= is commutative in the key); the GiST index behind it then also serves every
-- query that knows the post but not the person: the max-holders peak check in
-- rb_assignment_guard() (drizzle/0004) and holdings(inPost(id)) for a post's full succession,
-- which today scan the whole index because its leading column is not constrained.
ALTER TABLE assignments DROP CONSTRAINT assignments_same_post_once_excl;
ALTER TABLE assignments ADD CONSTRAINT assignments_same_post_once_excl
  EXCLUDE USING gist (post_id WITH =, person_id WITH =, certain_span WITH &&) WHERE (post_id IS NOT NULL);
