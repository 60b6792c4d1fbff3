import { OutsideError } from '../errors.js';

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat model: the reply's text as it came (verigap reads it as data, never runs it) and the tokens spent so far. */
export interface Llm {
  model: string;
  chat(messages: readonly ChatMessage[]): Promise<{ content: string; usage: LlmUsage }>;
}

export interface LlmOptions {
  apiKey: string;
  baseURL: string | undefined;
  model: string;
  /** Azure OpenAI needs an api-version; its presence (OPENAI_API_VERSION) selects the Azure client. */
  apiVersion?: string | undefined;
  timeoutMs?: number;
  maxRetries?: number;
}

/** A reply of steps is a few hundred tokens; this leaves room for a long explanation and no more. */
const maxReplyTokens = 4096;

/**
 * The openai SDK against any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM
 * Studio). The SDK retries 429 and 5xx with exponential backoff; a server that rejects
 * response_format is asked again without it.
 */
export async function createLlm(options: LlmOptions): Promise<Llm> {
  const { default: OpenAI, AzureOpenAI } = await import('openai');
  const common = { apiKey: options.apiKey, timeout: options.timeoutMs ?? 120_000, maxRetries: options.maxRetries ?? 3 };
  const client = options.apiVersion
    ? new AzureOpenAI({
        ...common,
        baseURL: `${(options.baseURL ?? '').replace(/\/+$/, '').replace(/\/openai$/, '')}/openai`,
        apiVersion: options.apiVersion,
        deployment: options.model,
      })
    : new OpenAI({ ...common, baseURL: options.baseURL });
  const usage: LlmUsage = { promptTokens: 0, completionTokens: 0 };
  const ask = async (messages: readonly ChatMessage[], json: boolean) =>
    client.chat.completions.create({
      // steps are short: a bound on the reply bounds what a runaway or hostile model can cost
      model: options.model,
      temperature: 0,
      max_completion_tokens: maxReplyTokens,
      messages: messages.map((m) => ({ ...m })),
      ...(json ? { response_format: { type: 'json_object' as const } } : {}),
    });
  return {
    model: options.model,
    async chat(messages) {
      let reply;
      try {
        reply = await ask(messages, true).catch(async (error: { status?: number; message?: string }) => {
          if (error.status === 400 && /response_format|json/i.test(error.message ?? '')) return ask(messages, false);
          throw error;
        });
      } catch (error) {
        const status = (error as { status?: number }).status;
        throw new OutsideError(
          `the LLM at ${options.baseURL ?? 'api.openai.com'} failed${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`,
          'check OPENAI_API_KEY, OPENAI_BASE_URL and llm.model, or use --provider steps',
        );
      }
      usage.promptTokens += reply.usage?.prompt_tokens ?? 0;
      usage.completionTokens += reply.usage?.completion_tokens ?? 0;
      return { content: reply.choices[0]?.message?.content ?? '', usage: { ...usage } };
    },
  };
}

/** How a service gets a chat model: connected only when the provider is openai and a key is set. */
export interface LlmConnector {
  connect(options: LlmOptions): Promise<Llm>;
}

export const openaiChat: LlmConnector = { connect: createLlm };
