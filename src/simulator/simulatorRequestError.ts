import type { OpenAiErrorFields } from './openAiErrorBody.js';

/** A client mistake the simulator answers with an OpenAI-style error body, like the real API would. */
export class SimulatorRequestError extends Error {
  readonly status: number;
  readonly fields: OpenAiErrorFields;

  constructor(status: number, message: string, options: { type?: string; param?: string | null; code?: string | null } = {}) {
    super(message);
    this.name = 'SimulatorRequestError';
    this.status = status;
    this.fields = { message, type: options.type ?? 'invalid_request_error', param: options.param ?? null, code: options.code ?? null };
  }
}
