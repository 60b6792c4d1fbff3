-- The first-parent history of the tracked branch, the paths each change touched, and which
-- E2E spec files existed at each change (as [added_seq, removed_seq) intervals).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE changes (
  seq INTEGER PRIMARY KEY,            -- position on the first-parent chain, oldest visible = 1
  sha TEXT NOT NULL UNIQUE,
  committed_at INTEGER NOT NULL,      -- committer time, seconds since the epoch
  author TEXT NOT NULL,
  subject TEXT NOT NULL,
  pr INTEGER,
  merge INTEGER NOT NULL              -- 1 for a merge commit
);
CREATE INDEX changes_committed_at ON changes (committed_at);

CREATE TABLE paths (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);

CREATE TABLE change_paths (
  seq INTEGER NOT NULL,
  path_id INTEGER NOT NULL,
  status TEXT NOT NULL,               -- A, M, D, T as git reports it, without rename detection
  PRIMARY KEY (seq, path_id)
) WITHOUT ROWID;
CREATE INDEX change_paths_path ON change_paths (path_id);

CREATE TABLE spec_files (
  path_id INTEGER NOT NULL,
  added_seq INTEGER NOT NULL,
  removed_seq INTEGER,                -- NULL while the file exists at the indexed tip
  PRIMARY KEY (path_id, added_seq)
) WITHOUT ROWID;
