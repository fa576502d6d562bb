CREATE INDEX "assignments_started_by_transition_idx" ON "assignments" USING btree ("started_by_transition_id") WHERE started_by_transition_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_ended_by_transition_idx" ON "assignments" USING btree ("ended_by_transition_id") WHERE ended_by_transition_id IS NOT NULL;
