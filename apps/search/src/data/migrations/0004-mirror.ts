import type { Migration } from '@emporium/kit';

/**
 * What a second engine (Elasticsearch) has not yet been told. PostgreSQL stays
 * the record: every change to a document, whatever wrote it (a product event,
 * stock, sales, a rebuild), takes the next number of one sequence in
 * `changed`; a mirror sends the documents whose `mirrored` is behind to the
 * engine with that number as their external version, so a late or repeated
 * send never overwrites a newer one. Setting `mirrored` alone is no change.
 */
export const mirror: Migration = {
  name: '0004-mirror',
  async up({ query }) {
    await query('CREATE SEQUENCE document_changes');
    await query("ALTER TABLE documents ADD COLUMN changed bigint NOT NULL DEFAULT nextval('document_changes'), ADD COLUMN mirrored bigint");
    // the function reads the sequence of the schema it was made in, whichever schema the writer's search_path names
    await query(`
      CREATE FUNCTION documents_changed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.mirrored IS DISTINCT FROM OLD.mirrored AND NEW.changed = OLD.changed THEN
          RETURN NEW;
        END IF;
        NEW.changed := nextval('document_changes');
        RETURN NEW;
      END $$`);
    await query('CREATE TRIGGER documents_changed BEFORE INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION documents_changed()');
    await query('CREATE INDEX documents_unmirrored ON documents (changed) WHERE mirrored IS DISTINCT FROM changed');
  },
};
