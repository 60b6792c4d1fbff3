-- Every file's lifetime on the first-parent chain, not only Playwright spec files: a flow's
-- `tests` globs may name any file (SPEC §1). Derived from change_paths, so sync fills it
-- (see core/derivation-rules.ts) without a rebuild.
DROP TABLE spec_files;

CREATE TABLE file_lifetimes (
  path_id INTEGER NOT NULL,
  added_seq INTEGER NOT NULL,
  removed_seq INTEGER,                -- NULL while the file exists at the indexed tip
  PRIMARY KEY (path_id, added_seq)
) WITHOUT ROWID;
