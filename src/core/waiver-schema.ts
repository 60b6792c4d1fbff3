import { z } from 'zod';

export const waiversSchema = z.array(
  z.strictObject({
    sha: z
      .string({ error: "sha must be the change's commit as text; quote one that is all digits, e.g. sha: '1234567'" })
      .regex(/^[0-9a-f]{7,40}$/i, "sha must be the change's commit (7+ hex characters)"),
    reason: z.string().min(1, 'reason is required: say why this change needs no E2E test of this flow'),
    by: z.string().optional(),
    at: z.union([z.iso.datetime({ offset: true }), z.date().transform((d) => d.toISOString())]).optional(),
  }),
  { error: 'waivers.yaml is a list of { sha, reason, by, at }' },
);

export type WaiverEntry = z.infer<typeof waiversSchema>[number];
