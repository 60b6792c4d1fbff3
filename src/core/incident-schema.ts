import { z } from 'zod';
import { incidentIdPattern, flowIdPattern, staysInRepo } from './ids.js';
import { splitFrontMatter } from './front-matter.js';
import { parseYamlWith, type FileProblem } from './yaml-file.js';
import type { Incident } from './incident.js';

export const severities = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export const statuses = ['open', 'mitigated', 'resolved'] as const;
export const detections = ['customer-report', 'monitor', 'synthetic', 'internal'] as const;

/** introduced_by as given (flag, --from or form): "infer" or nothing leaves it out, and the report infers one. */
export function givenIntroducedBy(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed && trimmed.toLowerCase() !== 'infer' ? trimmed : undefined;
}

const isoMessage = 'must be an ISO 8601 time, e.g. 2026-11-20T17:00:00Z';
const isoTime = z.union(
  [z.iso.datetime({ offset: true, error: isoMessage }), z.date().transform((d) => d.toISOString())],
  { error: isoMessage },
);
// `fixed_by: 42` is a PR number that YAML reads as a number; a SHA such as 1e505010 reads as a float and must be quoted
const commitish = z.union(
  [
    z.string().regex(/^[0-9a-f]{7,40}$/i),
    z.string().regex(/^#?\d+$/),
    z.string().url(),
    z.number().int().nonnegative().transform(String),
  ],
  {
    error:
      'must be a commit SHA (7+ hex characters), a PR number or a PR URL; quote a SHA that YAML reads as a number, e.g. "1e505010"',
  },
);

export const proofSchema = z
  .object({
    fails_on: z.string(),
    passes_on: z.string(),
    at: isoTime,
  })
  .passthrough();

export const incidentSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        incidentIdPattern,
        'id must be YYYY-MM-DD-<slug> (lowercase letters, digits, "-"; slug at most 60 characters)',
      ),
    title: z.string({ error: 'title is required' }).min(1),
    severity: z.enum(severities, { error: `severity must be one of ${severities.join(', ')}` }),
    status: z.enum(statuses, { error: `status must be one of ${statuses.join(', ')}` }),
    flows: z
      .array(z.string().regex(flowIdPattern, 'a flow id is lowercase letters, digits and "-"'), {
        error: 'flows must be a list of flow ids, e.g. [trial]',
      })
      .min(1, 'flows must name at least one flow'),
    started_at: isoTime,
    detected_at: isoTime.optional(),
    resolved_at: isoTime.optional(),
    mitigated_at: isoTime.optional(),
    detection: z.enum(detections, { error: `detection must be one of ${detections.join(', ')}` }).optional(),
    introduced_by: commitish.optional(),
    fixed_by: commitish.optional(),
    regression: z
      .object({
        test: z
          .string()
          .refine(staysInRepo, 'regression.test is a path inside the repository, e.g. flows/trial/<id>.spec.ts')
          .optional(),
        pr: z.string().optional(),
        proof: proofSchema.optional(),
      })
      .passthrough()
      .optional(),
  })
  .superRefine((incident, context) => {
    for (const problem of misorderedTimes(incident))
      context.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
  });

// the times of an incident in the order they happen; SPEC §5 measures detect and restore from started_at
const timeOrder = ['started_at', 'detected_at', 'mitigated_at', 'resolved_at'] as const;
const happening: Record<(typeof timeOrder)[number], string> = {
  started_at: 'starts',
  detected_at: 'is detected',
  mitigated_at: 'is mitigated',
  resolved_at: 'is resolved',
};

/** Each time that comes before one that must precede it (detected before started gives a negative time to detect). */
export function misorderedTimes(
  times: Partial<Record<(typeof timeOrder)[number], string>>,
): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  for (const [index, later] of timeOrder.entries()) {
    const value = times[later];
    if (value === undefined) continue;
    const earlier = timeOrder
      .slice(0, index)
      .find((key) => times[key] !== undefined && Date.parse(times[key]!) > Date.parse(value));
    if (earlier) {
      problems.push({
        key: later,
        message: `${value} is before ${earlier} (${times[earlier]}): an incident ${happening[later]} after it ${happening[earlier]}; fix one of the two times`,
      });
    }
  }
  return problems;
}

export type IncidentMeta = z.infer<typeof incidentSchema>;

export type ParsedIncident = { ok: true; incident: Incident } | { ok: false; problem: FileProblem };

/** Splits `---` front matter from the Markdown body and validates it; line numbers are the file's. */
export function parseIncident(file: string, withBom: string): ParsedIncident {
  // editors on Windows may save a byte order mark before the first "---": splitFrontMatter reads past it
  const parts = splitFrontMatter(withBom);
  if (!parts) {
    return {
      ok: false,
      problem: {
        line: 1,
        reason: 'missing YAML front matter: the file must start with a "---" line, the fields, and a closing "---"',
      },
    };
  }
  const commented = parts.yaml.split('\n').findIndex((line) => /^(fixed_by|introduced_by):\s+#/.test(line));
  if (commented >= 0) {
    const [key, value] = parts.yaml.split('\n')[commented]!.split(/:\s+/) as [string, string];
    return {
      ok: false,
      problem: {
        line: commented + 2,
        reason: `${key}: YAML reads "${value.trim()}" as a comment, so ${key} is empty; quote it (${key}: '${value.trim()}') or write the number alone (${key}: ${value.replace(/\D/g, '')})`,
      },
    };
  }
  const parsed = parseYamlWith(parts.yaml, incidentSchema, 1);
  if (!parsed.ok) return parsed;
  const expectedId = file.replace(/^.*\//, '').replace(/\.md$/, '');
  if (parsed.value.id !== expectedId) {
    return {
      ok: false,
      problem: {
        line: lineOfKey(parts.yaml, 'id'),
        reason: `id "${parsed.value.id}" does not match the file name (expected "${expectedId}")`,
      },
    };
  }
  return { ok: true, incident: { ...parsed.value, file, body: parts.body } };
}

function lineOfKey(yamlText: string, key: string): number | undefined {
  const index = yamlText.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  return index < 0 ? undefined : index + 2;
}
