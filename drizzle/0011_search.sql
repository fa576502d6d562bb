-- Search (DESIGN.md §4): the search index, a table derived from the names of people,
-- organisations and posts by the triggers below, with a trigram GIN index over folded names.
CREATE TABLE "search_terms" (
	"kind" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" text NOT NULL,
	"name" text NOT NULL,
	"term" text NOT NULL,
	CONSTRAINT "search_terms_kind" CHECK (kind IN ('person', 'organisation', 'post'))
);
--> statement-breakpoint
CREATE INDEX "search_terms_entity_idx" ON "search_terms" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "search_terms_term_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint

-- Folding for search, the SQL twin of src/domain/folding.ts (test/db/folding.test.ts checks that
-- both agree, character by character): NFC, then ligatures and ß written out, then every
-- Latin letter to its lower-case ASCII base letter, separators to spaces and dots, apostrophes and
-- combining marks dropped (translate() deletes what has no counterpart), then runs of spaces
-- collapsed. Only IMMUTABLE built-ins, no dictionary and no locale, so that it may feed an index
-- and folds alike on every server.
CREATE OR REPLACE FUNCTION rb_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(regexp_replace(translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(normalize(value, NFC), 'Æ', 'ae'), 'æ', 'ae'), 'Œ', 'oe'), 'œ', 'oe'), 'ß', 'ss'), 'ẞ', 'ss'), 'Þ', 'th'), 'þ', 'th'), 'Ĳ', 'ij'), 'ĳ', 'ij'), 'Ǆ', 'dz'), 'ǅ', 'dz'), 'ǆ', 'dz'), 'Ǳ', 'dz'), 'ǲ', 'dz'), 'ǳ', 'dz'), 'Ǉ', 'lj'), 'ǈ', 'lj'), 'ǉ', 'lj'), 'Ǌ', 'nj'), 'ǋ', 'nj'), 'ǌ', 'nj'),
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľŁłŃńŅņŇňŉŊŋŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƀƗƚƠơƯưƵƶǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳȽɄɆɇḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹɃɨʉ'
      || E' \u0009\u000a\u000b\u000c\u000d!"#$%&()*+,-/:;<=>?@[\\]^_{|}~\u00a0\u00a1\u00a6\u00a7\u00ab\u00b7\u00bb\u00bf\u00d7\u00f7\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2010\u2011\u2012\u2013\u2014\u2015\u2016\u201a\u201c\u201d\u201e\u201f\u2020\u2021\u2022\u2026\u2027\u2028\u2029\u202f\u2030\u2039\u203a\u205f\u3000'
      || E'.''`\u00ad\u00b4\u02b9\u02bb\u02bc\u2018\u2019\u201b\u2032\u200b\u200c\u200d\u2060\ufeff\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030d\u030e\u030f\u0310\u0311\u0312\u0313\u0314\u0315\u0316\u0317\u0318\u0319\u031a\u031b\u031c\u031d\u031e\u031f\u0320\u0321\u0322\u0323\u0324\u0325\u0326\u0327\u0328\u0329\u032a\u032b\u032c\u032d\u032e\u032f\u0330\u0331\u0332\u0333\u0334\u0335\u0336\u0337\u0338\u0339\u033a\u033b\u033c\u033d\u033e\u033f\u0340\u0341\u0342\u0343\u0344\u0345\u0346\u0347\u0348\u0349\u034a\u034b\u034c\u034d\u034e\u034f\u0350\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a\u035b\u035c\u035d\u035e\u035f\u0360\u0361\u0362\u0363\u0364\u0365\u0366\u0367\u0368\u0369\u036a\u036b\u036c\u036d\u036e\u036f',
    'abcdefghijklmnopqrstuvwxyzaaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllllnnnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzsbiloouuzzaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyylueeaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyybiu'
      || repeat(' ', 81)), ' {2,}', ' ', 'g'), ' ')
$$;--> statement-breakpoint
-- German: ä, ö, ü written out as ae, oe, ue before the rest folds ("Sträde" -> "straede").
CREATE OR REPLACE FUNCTION rb_fold_german(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT rb_fold(replace(replace(replace(replace(replace(replace(normalize(value, NFC), 'Ä', 'ae'), 'ä', 'ae'), 'Ö', 'oe'), 'ö', 'oe'), 'Ü', 'ue'), 'ü', 'ue'))
$$;--> statement-breakpoint
-- The entries of some records, derived again from their tables: each name once per folding (both
-- foldings are the same for most names, and then one row is enough).
CREATE OR REPLACE FUNCTION rb_search_refresh(entity_kind text, ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_terms WHERE kind = entity_kind AND entity_id = ANY(ids);
  INSERT INTO search_terms (kind, entity_id, field, name, term)
  SELECT DISTINCT entity_kind, n.entity_id, n.field, n.name, f.term
    FROM (
      SELECT p.id AS entity_id, 'name' AS field, concat_ws(' ', p.given_name, p.family_name) AS name
        FROM people p WHERE entity_kind = 'person' AND p.id = ANY(ids)
      UNION ALL
      SELECT n.person_id, 'otherName', n.name
        FROM person_names n WHERE entity_kind = 'person' AND n.person_id = ANY(ids)
         AND EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
      UNION ALL
      SELECT o.id, 'name', o.name FROM organisations o WHERE entity_kind = 'organisation' AND o.id = ANY(ids)
      UNION ALL
      SELECT o.id, 'abbreviation', o.abbreviation
        FROM organisations o WHERE entity_kind = 'organisation' AND o.id = ANY(ids) AND o.abbreviation IS NOT NULL
      UNION ALL
      SELECT n.organisation_id, 'otherName', n.name
        FROM organisation_names n WHERE entity_kind = 'organisation' AND n.organisation_id = ANY(ids)
         AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = n.organisation_id)
      UNION ALL
      SELECT p.id, 'label', p.label FROM posts p WHERE entity_kind = 'post' AND p.id = ANY(ids)
    ) n
    CROSS JOIN LATERAL (VALUES (rb_fold_german(n.name)), (rb_fold(n.name))) AS f(term)
   WHERE f.term <> '';
END
$$;--> statement-breakpoint
-- After each statement on a table the index derives from: the records it touched, from the
-- transition tables (one refresh per statement, so that bulk writes stay cheap). TG_ARGV: the
-- kind of record, the column of the table that names it, and the columns the index reads (an
-- update that changes none of them, a dissolution date say, leaves the index alone).
CREATE OR REPLACE FUNCTION rb_search_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  columns text[] := string_to_array(TG_ARGV[2], ',');
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[1]) INTO ids;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows', TG_ARGV[1]) INTO ids;
  ELSE
    EXECUTE format(
      'SELECT array_agg(DISTINCT k) FROM (
         SELECT n.%1$I AS k FROM new_rows n JOIN old_rows o USING (id) WHERE (%2$s) IS DISTINCT FROM (%3$s)
         UNION SELECT o.%1$I FROM new_rows n JOIN old_rows o USING (id) WHERE (%2$s) IS DISTINCT FROM (%3$s)) AS u',
      TG_ARGV[1],
      (SELECT string_agg(format('n.%I', c), ', ') FROM unnest(columns) AS c),
      (SELECT string_agg(format('o.%I', c), ', ') FROM unnest(columns) AS c)) INTO ids;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM rb_search_refresh(TG_ARGV[0], ids);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER people_search_insert AFTER INSERT ON people REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'id', 'given_name,family_name');--> statement-breakpoint
CREATE TRIGGER people_search_update AFTER UPDATE ON people REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'id', 'given_name,family_name');--> statement-breakpoint
CREATE TRIGGER people_search_delete AFTER DELETE ON people REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'id', 'given_name,family_name');--> statement-breakpoint
CREATE TRIGGER person_names_search_insert AFTER INSERT ON person_names REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'person_id', 'person_id,name');--> statement-breakpoint
CREATE TRIGGER person_names_search_update AFTER UPDATE ON person_names REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'person_id', 'person_id,name');--> statement-breakpoint
CREATE TRIGGER person_names_search_delete AFTER DELETE ON person_names REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('person', 'person_id', 'person_id,name');--> statement-breakpoint
CREATE TRIGGER organisations_search_insert AFTER INSERT ON organisations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'id', 'name,abbreviation');--> statement-breakpoint
CREATE TRIGGER organisations_search_update AFTER UPDATE ON organisations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'id', 'name,abbreviation');--> statement-breakpoint
CREATE TRIGGER organisations_search_delete AFTER DELETE ON organisations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'id', 'name,abbreviation');--> statement-breakpoint
CREATE TRIGGER organisation_names_search_insert AFTER INSERT ON organisation_names REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'organisation_id', 'organisation_id,name');--> statement-breakpoint
CREATE TRIGGER organisation_names_search_update AFTER UPDATE ON organisation_names REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'organisation_id', 'organisation_id,name');--> statement-breakpoint
CREATE TRIGGER organisation_names_search_delete AFTER DELETE ON organisation_names REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('organisation', 'organisation_id', 'organisation_id,name');--> statement-breakpoint
CREATE TRIGGER posts_search_insert AFTER INSERT ON posts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('post', 'id', 'label');--> statement-breakpoint
CREATE TRIGGER posts_search_update AFTER UPDATE ON posts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('post', 'id', 'label');--> statement-breakpoint
CREATE TRIGGER posts_search_delete AFTER DELETE ON posts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION rb_search_changed('post', 'id', 'label');--> statement-breakpoint
-- What is already stored.
SELECT rb_search_refresh('person', ARRAY(SELECT id FROM people));--> statement-breakpoint
SELECT rb_search_refresh('organisation', ARRAY(SELECT id FROM organisations));--> statement-breakpoint
SELECT rb_search_refresh('post', ARRAY(SELECT id FROM posts));
