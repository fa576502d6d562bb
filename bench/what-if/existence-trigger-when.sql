-- What if: the organisation-existence trigger fires only when the existence actually changes.
-- `AFTER UPDATE OF founding_date, …` fires whenever those columns are in the SET list, and the
-- organisation PATCH writes the whole editable state, so today every PATCH of an organisation
-- (a new location, say) re-updates all its assignments through rb_assignment_guard().
DROP TRIGGER organisations_existence_changed ON organisations;
CREATE TRIGGER organisations_existence_changed
  AFTER UPDATE OF founding_date, founding_precision, dissolution_date, dissolution_precision ON organisations
  FOR EACH ROW WHEN (OLD.founding_date IS DISTINCT FROM NEW.founding_date
    OR OLD.founding_precision IS DISTINCT FROM NEW.founding_precision
    OR OLD.dissolution_date IS DISTINCT FROM NEW.dissolution_date
    OR OLD.dissolution_precision IS DISTINCT FROM NEW.dissolution_precision)
  EXECUTE FUNCTION rb_organisation_existence_changed();
