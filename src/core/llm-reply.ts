import { z } from 'zod';

export const generatedSpecSchema = z.object({
  code: z.string().min(1),
  rationale: z.string().default(''),
});

export type GeneratedSpec = z.infer<typeof generatedSpecSchema>;

/** A JSON object `{ code, rationale }`, or a reply whose first fenced ts block holds the code. */
export function parseLlmReply(content: string): GeneratedSpec | undefined {
  const trimmed = content.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n```$/, '$1');
  try {
    const parsed = generatedSpecSchema.safeParse(JSON.parse(trimmed));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: look for a fenced block
  }
  const fenced = /```(?:ts|typescript)\s*\n([\s\S]*?)```/.exec(content);
  return fenced ? { code: fenced[1]!, rationale: content.replace(fenced[0], '').trim() } : undefined;
}
