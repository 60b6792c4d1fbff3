import type { ChatMessage, Llm, LlmUsage } from '../adapters/llm.js';
import { parseModelReply, replyLimits } from '../core/llm-reply.js';
import type { OriginPolicy } from '../core/steps.js';
import { exploreResultPrompt, systemPrompt } from '../core/prompt.js';

/** What an explore run showed: the page's snapshot after the steps, and where they stopped if they failed. */
export interface Explored {
  snapshot: string | null;
  failure: string | null;
}

export interface StepsSessionOptions {
  llm: Llm;
  /** Redacts (and bounds) a text before it leaves the machine: everything sent goes through it. */
  outgoing: (text: string) => string;
  /** Runs compiled explore steps against baseURL, or says why it refused to. */
  explore: (steps: string[]) => Promise<Explored | { refused: string }>;
  exploreRounds: number;
  /** Where steps may navigate: baseURL's origin and allowedOrigins. */
  policy: OriginPolicy;
}

export type SessionReply = { ok: true; steps: string[]; rationale: string } | { ok: false; reason: string };

export interface StepsSession {
  /** Sends `prompt` and converses (explore, then state) until the model gives steps or a reply is refused. */
  ask(prompt: string): Promise<SessionReply>;
  readonly usage: LlmUsage;
  readonly explored: number;
}

/** One conversation with the model: it reads the incident and snapshots and answers with steps; nothing it writes runs as code. */
export function stepsSession(options: StepsSessionOptions): StepsSession {
  const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(options.exploreRounds) }];
  const usage: LlmUsage = { promptTokens: 0, completionTokens: 0 };
  let explored = 0;
  const say = (content: string) => messages.push({ role: 'user', content: options.outgoing(content) });
  return {
    usage,
    get explored() {
      return explored;
    },
    async ask(prompt) {
      say(prompt);
      for (;;) {
        const reply = await options.llm.chat(messages);
        Object.assign(usage, reply.usage);
        const bytes = Buffer.byteLength(reply.content);
        // the conversation carries the model's own words back to it, never an oversized reply
        messages.push({
          role: 'assistant',
          content:
            bytes > replyLimits.bytes ? `(a reply of ${bytes} bytes, refused unread)` : options.outgoing(reply.content),
        });
        const parsed = parseModelReply(reply.content, options.policy);
        if (parsed.kind === 'refused') return { ok: false, reason: parsed.reason };
        if (parsed.kind === 'steps') return { ok: true, steps: parsed.steps, rationale: parsed.rationale };
        if (explored >= options.exploreRounds)
          return {
            ok: false,
            reason: `the model asked to explore again after ${options.exploreRounds} explore rounds, the most verigap runs`,
          };
        explored++;
        const result = await options.explore(parsed.steps);
        if ('refused' in result)
          return { ok: false, reason: `the explore steps were refused before they ran: ${result.refused}` };
        say(exploreResultPrompt({ steps: parsed.steps, ...result, roundsLeft: options.exploreRounds - explored }));
      }
    },
  };
}
