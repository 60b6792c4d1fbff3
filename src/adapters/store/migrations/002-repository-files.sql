-- Flows, incidents and waivers as read from the working tree, and the mapping of paths to flows.
CREATE TABLE flows (id TEXT PRIMARY KEY, file TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE incidents (id TEXT PRIMARY KEY, file TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE waivers (
  flow_id TEXT NOT NULL,
  sha TEXT NOT NULL,                  -- as written in waivers.yaml (7+ hex characters)
  reason TEXT NOT NULL,
  by TEXT,
  at TEXT,
  PRIMARY KEY (flow_id, sha)
) WITHOUT ROWID;

-- role 'code': the path matches the flow's `paths`; role 'test': it is an E2E spec of the flow.
CREATE TABLE path_flows (
  path_id INTEGER NOT NULL,
  flow_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (path_id, flow_id, role)
) WITHOUT ROWID;
CREATE INDEX path_flows_flow ON path_flows (flow_id, role);
