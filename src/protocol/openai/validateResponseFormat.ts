import type { ResponseFormat } from '../../core/chatMessage.js';
import { invalidParameter, missingParameter } from '../../core/gatewayError.js';
import { validateToolName } from './validateTools.js';
import { describeValue, expectBoolean, expectRecord, expectString, requireRecord } from './valueChecks.js';

/**
 * `{type: "text"} | {type: "json_object"} | {type: "json_schema", json_schema: {name, description?, schema?, strict?}}`.
 * Returns the caller's object.
 */
export function validateResponseFormat(value: unknown): ResponseFormat {
  const format = expectRecord(value, 'response_format');
  switch (format.type) {
    case 'text':
    case 'json_object':
      return format as ResponseFormat;
    case 'json_schema': {
      const schema = requireRecord(format.json_schema, 'response_format.json_schema');
      // The schema name has the same shape as a function name.
      validateToolName(schema.name, 'response_format.json_schema.name');
      if (schema.description !== undefined) expectString(schema.description, 'response_format.json_schema.description');
      if (schema.schema !== undefined) expectRecord(schema.schema, 'response_format.json_schema.schema');
      if (schema.strict !== undefined) expectBoolean(schema.strict, 'response_format.json_schema.strict');
      return format as ResponseFormat;
    }
    case undefined:
      throw missingParameter('response_format.type');
    default:
      throw invalidParameter(
        'response_format.type',
        `'response_format.type' must be one of 'text', 'json_object', 'json_schema', got ${describeValue(format.type)}.`,
      );
  }
}
