-- Verification runs, read from refs/notes/verigap, and their outcome per flow.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,                -- hash of the note line: the same run read twice is one run
  commit_sha TEXT NOT NULL,
  env TEXT NOT NULL,
  at INTEGER NOT NULL,                -- ms since the epoch
  run_url TEXT,
  reach_seq INTEGER,                  -- newest first-parent change the run's commit contains
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX runs_env_at ON runs (env, at);

CREATE TABLE run_flows (
  run_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  flaky INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  PRIMARY KEY (run_id, flow_id)
) WITHOUT ROWID;
