const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** A cheap 32-bit integer hash (murmur3 finaliser) to make counter-based ids look random. */
function mix(value: number): number {
  let state = value | 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  return (state ^ (state >>> 16)) >>> 0;
}

function scramble(alphabet: string, seed: number, counter: number, length: number): string {
  let state = mix(seed ^ mix(counter));
  let text = '';
  for (let index = 0; index < length; index++) {
    state = mix(state + 0x9e3779b9);
    text += alphabet[state % alphabet.length];
  }
  return text;
}

/** The counter in base 62, so ids from one factory never collide. */
function counterSuffix(counter: number, length: number): string {
  let text = '';
  let rest = counter;
  for (let index = 0; index < length; index++) {
    text = ALPHANUMERICS[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text;
}

export interface SimulatorIds {
  /** `chatcmpl-` + 29 alphanumerics, like OpenAI's completion ids. */
  completionId(): string;
  /** `call_` + 24 alphanumerics, like OpenAI's tool call ids. */
  toolCallId(): string;
  /** `req_` + 32 hex digits, like OpenAI's `x-request-id`. */
  requestId(): string;
}

/** Ids that look like OpenAI's, derived from counters (unique per factory, cheap to make). */
export function createSimulatorIds(seed: number = Math.floor(Math.random() * 0xffffffff)): SimulatorIds {
  let completions = 0;
  let toolCalls = 0;
  let requests = 0;
  return {
    completionId: () => {
      completions++;
      return `chatcmpl-${scramble(ALPHANUMERICS, seed, completions, 23)}${counterSuffix(completions, 6)}`;
    },
    toolCallId: () => {
      toolCalls++;
      return `call_${scramble(ALPHANUMERICS, seed + 1, toolCalls, 18)}${counterSuffix(toolCalls, 6)}`;
    },
    requestId: () => {
      requests++;
      return `req_${scramble(HEX, seed + 2, requests, 24)}${requests.toString(16).padStart(8, '0').slice(-8)}`;
    },
  };
}
