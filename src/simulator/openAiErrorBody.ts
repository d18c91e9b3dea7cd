/** The four members of OpenAI's `{"error":{...}}` body. */
export interface OpenAiErrorFields {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** Serialises OpenAI's error body with its key order: message, type, param, code. */
export function openAiErrorBody(fields: OpenAiErrorFields): string {
  return JSON.stringify({ error: { message: fields.message, type: fields.type, param: fields.param, code: fields.code } });
}

/** What OpenAI typically sends for a status, used when a scripted error names only the status. */
export function defaultErrorFields(status: number): OpenAiErrorFields {
  switch (status) {
    case 400:
      return { message: 'Simulated bad request.', type: 'invalid_request_error', param: null, code: null };
    case 401:
      return { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
    case 403:
      return { message: 'Simulated permission error.', type: 'invalid_request_error', param: null, code: 'unsupported_country_region_territory' };
    case 404:
      return { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' };
    case 408:
      return { message: 'Request timed out.', type: 'server_error', param: null, code: null };
    case 429:
      return {
        message: 'Rate limit reached for requests (simulated). Please try again later.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      };
    case 503:
      return { message: 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: null };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
        : { message: `Simulated error with status ${status}.`, type: 'invalid_request_error', param: null, code: null };
  }
}
