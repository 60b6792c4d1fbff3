import type { CommandContext } from '../context.js';
import { InputError } from '../errors.js';
import { incidentsWithTests, type IncidentRow } from '../services/incidents.js';
import { formatTable } from '../ui/table.js';
import { syncQuietly, withRepo } from './with-repo.js';

async function incidentRows(ctx: CommandContext): Promise<IncidentRow[]> {
  return withRepo(ctx, async (repo) => {
    await syncQuietly(ctx, repo);
    return incidentsWithTests(repo);
  });
}

function toJson({ incident, state }: IncidentRow) {
  const { body: _body, ...meta } = incident;
  return { ...meta, regression_state: state };
}

export async function listIncidents(ctx: CommandContext): Promise<void> {
  const rows = await incidentRows(ctx);
  ctx.output.result({ incidents: rows.map(toJson) });
  if (rows.length === 0) {
    ctx.output.print('No incidents recorded. Record one with: verigap incident new');
    return;
  }
  ctx.output.print(
    formatTable(
      ['INCIDENT', 'SEVERITY', 'STATUS', 'FLOWS', 'STARTED', 'REGRESSION TEST', 'TITLE'],
      rows.map(({ incident, state }) => [
        incident.id,
        incident.severity,
        incident.status,
        incident.flows.join(','),
        incident.started_at.slice(0, 16).replace('T', ' '),
        state,
        incident.title,
      ]),
    ),
  );
}

export async function showIncident(ctx: CommandContext, id: string): Promise<void> {
  const row = (await incidentRows(ctx)).find((r) => r.incident.id === id);
  if (!row)
    throw new InputError(`no incident "${id}" (incidents/${id}.md does not exist)`, 'see `verigap incident list`');
  ctx.output.result({ ...toJson(row), body: row.incident.body });
  const { incident, state } = row;
  const proof = incident.regression?.proof;
  ctx.output.print(
    [
      `${incident.id} · ${incident.severity} · ${incident.status} · flows: ${incident.flows.join(', ')}`,
      incident.title,
      `started ${incident.started_at}${incident.detected_at ? ` · detected ${incident.detected_at}` : ''}${incident.resolved_at ? ` · resolved ${incident.resolved_at}` : ''}`,
      `regression test: ${state}${incident.regression?.test ? ` (${incident.regression.test})` : ''}${incident.regression?.pr ? ` · ${incident.regression.pr}` : ''}`,
      proof
        ? `proof: fails on ${proof.fails_on.slice(0, 7)}${proof.before_url ? ` (${String(proof.before_url)})` : ''}, passes on ${proof.passes_on.slice(0, 7)}${proof.after_url ? ` (${String(proof.after_url)})` : ''}, ${proof.at}${proof.mode ? `, ${String(proof.mode)}` : ''}`
        : '',
      '',
      incident.body.trim(),
    ]
      .filter((line, index) => line !== '' || index === 5)
      .join('\n'),
  );
}
