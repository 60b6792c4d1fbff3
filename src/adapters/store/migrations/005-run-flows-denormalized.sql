-- Each flow's outcome carries what the status and report questions filter and order by, and show (env, time,
-- reach, commit, run URL, whether it verified), so SQLite answers them from an index instead of every row
-- being loaded into JS. Rows already indexed are carried over; the runs rule (3) re-derives them on
-- the next sync, `verifies` then from the core's own rule.
CREATE TABLE run_flows_005 (
  run_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  env TEXT NOT NULL,
  at INTEGER NOT NULL,
  commit_sha TEXT NOT NULL,
  run_url TEXT,
  reach_seq INTEGER,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  flaky INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  verifies INTEGER NOT NULL,          -- no failed test and at least one passed (or flaky) one
  PRIMARY KEY (run_id, flow_id)
) WITHOUT ROWID;
INSERT INTO run_flows_005 (run_id, flow_id, env, at, commit_sha, run_url, reach_seq, passed, failed, flaky, skipped, verifies)
  SELECT rf.run_id, rf.flow_id, r.env, r.at, r.commit_sha, r.run_url, r.reach_seq, rf.passed, rf.failed, rf.flaky, rf.skipped,
    rf.failed = 0 AND rf.passed + rf.flaky > 0
  FROM run_flows rf JOIN runs r ON r.id = rf.run_id;
DROP TABLE run_flows;
ALTER TABLE run_flows_005 RENAME TO run_flows;

-- the passes that count, in the order the running maximum of their reach is taken
CREATE INDEX run_flows_passes ON run_flows (env, flow_id, at, run_id, reach_seq) WHERE verifies = 1 AND reach_seq IS NOT NULL;
-- flakiness starts from the failing runs, few of them
CREATE INDEX run_flows_failures ON run_flows (env, at) WHERE failed > 0;
-- does the flow also pass on that commit
CREATE INDEX run_flows_commit ON run_flows (flow_id, env, commit_sha, verifies, at);
-- a sync that re-reads some notes replaces those commits' runs
CREATE INDEX runs_commit ON runs (commit_sha);

-- The passes that raise their flow's running maximum reach (the first pass that contains a change is always
-- one of them): a few per deployment where the passes are hundreds of thousands, kept up to date as runs are
-- written so no question has to take that maximum over every pass.
-- Each row is the pass's run_flows row, whole: reading it needs no join.
CREATE TABLE reach_frontier (
  env TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  run_id TEXT NOT NULL,
  reach_seq INTEGER NOT NULL,
  commit_sha TEXT NOT NULL,
  run_url TEXT,
  passed INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  flaky INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  PRIMARY KEY (env, flow_id, at, run_id)
) WITHOUT ROWID;
INSERT INTO reach_frontier (env, flow_id, at, run_id, reach_seq, commit_sha, run_url, passed, failed, flaky, skipped)
  SELECT env, flow_id, at, run_id, reach_seq, commit_sha, run_url, passed, failed, flaky, skipped FROM (
    SELECT env, flow_id, at, run_id, reach_seq, commit_sha, run_url, passed, failed, flaky, skipped,
      MAX(reach_seq) OVER (PARTITION BY env, flow_id ORDER BY at, run_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
    FROM run_flows WHERE verifies = 1 AND reach_seq IS NOT NULL
  ) WHERE reached IS NULL OR reach_seq > reached;
-- a status reads only the frontier past what every flow has verified
CREATE INDEX reach_frontier_reach ON reach_frontier (env, reach_seq);
