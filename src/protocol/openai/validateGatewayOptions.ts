import type { GatewayOptions, RoutingOptions, Strategy } from '../../core/chatRequest.js';
import { invalidParameter, invalidRequest, missingParameter } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import { parseModelSuffix } from './parseModelSuffix.js';
import { validateRoutingOptions, MODE_RULE, type RoutingMode } from './validateRoutingOptions.js';
import { describeValue, expectArray, expectEnum, expectNonEmptyString, expectRecord, isAbsent } from './valueChecks.js';

const MAX_MODEL_ID_LENGTH = 256;
const MAX_MODELS = 10;
const MAX_METADATA_ENTRIES = 64;
const MAX_METADATA_KEY_LENGTH = 128;
const MAX_METADATA_VALUE_LENGTH = 1024;

const GATEWAY_KEYS: ReadonlySet<string> = new Set(['models', 'mode', 'routing', 'metadata']);

interface Source {
  value: unknown;
  /** The field as the caller spelled it, for error `param`s. */
  param: string;
}

/**
 * `model`, the `gateway` object (contract §3) and its legacy top-level spellings (`models`, `routing`,
 * `auriko_metadata`) → `GatewayOptions`.
 */
export function validateGatewayOptions(body: Record<string, unknown>, warnings: Warning[]): GatewayOptions {
  let gateway: Record<string, unknown> | undefined;
  if (!isAbsent(body.gateway)) {
    gateway = expectRecord(body.gateway, 'gateway');
    for (const key of Object.keys(gateway)) {
      if (!GATEWAY_KEYS.has(key) && !isAbsent(gateway[key])) {
        warnings.push({ code: 'unsupported_field', param: `gateway.${key}`, message: `'gateway.${key}' is not a gateway option and was ignored.` });
      }
    }
  }
  const modelsSource = pickSource(gateway?.models, 'gateway.models', body.models, 'models', warnings);
  const routingSource = pickSource(gateway?.routing, 'gateway.routing', body.routing, 'routing', warnings);
  const metadataSource = pickSource(gateway?.metadata, 'gateway.metadata', body.auriko_metadata, 'auriko_metadata', warnings);

  const models: string[] = [];
  let modelsParam: GatewayOptions['modelsParam'];
  let suffixStrategy: Strategy | undefined;
  if (!isAbsent(body.model)) {
    if (modelsSource !== undefined) {
      throw invalidRequest(`Send either 'model' or '${modelsSource.param}', not both.`, 'model');
    }
    const parsed = readModelId(body.model, 'model', warnings);
    models.push(parsed.model);
    suffixStrategy = parsed.strategy;
    modelsParam = 'model';
  } else if (modelsSource !== undefined) {
    const list = expectArray(modelsSource.value, modelsSource.param);
    if (list.length === 0 || list.length > MAX_MODELS) {
      throw invalidParameter(modelsSource.param, `'${modelsSource.param}' must list 1 to ${MAX_MODELS} model ids, got ${list.length}.`);
    }
    for (let i = 0; i < list.length; i++) {
      const parsed = readModelId(list[i], `${modelsSource.param}[${i}]`, warnings);
      models.push(parsed.model);
      suffixStrategy ??= parsed.strategy;
    }
    // The legacy top-level `models` has no name of its own in `modelsParam`; later errors name `gateway.models`.
    modelsParam = 'gateway.models';
  } else {
    throw missingParameter('model', "Missing required parameter: 'model' (or 'gateway.models' to route across several models).");
  }

  let routing: RoutingOptions = {};
  let routingMode: RoutingMode | undefined;
  if (routingSource !== undefined) {
    ({ routing, mode: routingMode } = validateRoutingOptions(routingSource.value, routingSource.param, warnings));
  }
  let mode: RoutingMode = routingMode ?? 'pool';
  if (!isAbsent(gateway?.mode)) {
    mode = expectEnum(gateway.mode, 'gateway.mode', MODE_RULE);
    if (routingMode !== undefined && routingMode !== mode) {
      const param = `${routingSource?.param ?? 'gateway.routing'}.mode`;
      warnings.push({ code: 'unsupported_field', param, message: `'${param}' was ignored because 'gateway.mode' is set to '${mode}'.` });
    }
  }

  const metadata = metadataSource === undefined ? {} : validateMetadata(metadataSource.value, metadataSource.param);
  return { models, modelsParam, mode, strategy: routing.optimize ?? suffixStrategy, routing, metadata };
}

/** The `gateway` field when sent, else its legacy top-level spelling; the other one is reported. */
function pickSource(modern: unknown, modernParam: string, legacy: unknown, legacyParam: string, warnings: Warning[]): Source | undefined {
  if (!isAbsent(modern)) {
    if (!isAbsent(legacy)) {
      warnings.push({
        code: 'legacy_field_converted',
        param: legacyParam,
        message: `'${legacyParam}' is a legacy spelling of '${modernParam}' and was ignored because '${modernParam}' is set.`,
      });
    }
    return { value: modern, param: modernParam };
  }
  if (isAbsent(legacy)) return undefined;
  warnings.push({ code: 'legacy_field_converted', param: legacyParam, message: `'${legacyParam}' is a legacy spelling of '${modernParam}'; treated as '${modernParam}'.` });
  return { value: legacy, param: legacyParam };
}

function readModelId(value: unknown, param: string, warnings: Warning[]): { model: string; strategy: Strategy | undefined } {
  const id = expectNonEmptyString(value, param, MAX_MODEL_ID_LENGTH);
  const parsed = parseModelSuffix(id);
  if (parsed.model === '') throw invalidParameter(param, `'${param}' has a routing suffix but no model id: ${describeValue(id)}.`);
  if (parsed.legacySuffix !== undefined) {
    warnings.push({
      code: 'legacy_field_converted',
      param,
      message: `Model suffix ':${parsed.legacySuffix}' in '${param}' is a legacy name; using ':${parsed.strategy}'.`,
    });
  }
  return parsed;
}

/** String → string tags; returned as sent (no copy) once checked. */
function validateMetadata(value: unknown, param: string): Record<string, string> {
  const metadata = expectRecord(value, param);
  const keys = Object.keys(metadata);
  if (keys.length > MAX_METADATA_ENTRIES) {
    throw invalidParameter(param, `'${param}' may have at most ${MAX_METADATA_ENTRIES} entries, got ${keys.length}.`);
  }
  for (const key of keys) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH) {
      throw invalidParameter(param, `'${param}' keys must be 1 to ${MAX_METADATA_KEY_LENGTH} characters long, got ${describeValue(key)}.`);
    }
    const entry = metadata[key];
    if (typeof entry !== 'string' || entry.length > MAX_METADATA_VALUE_LENGTH) {
      throw invalidParameter(
        `${param}.${key}`,
        `'${param}.${key}' must be a string of at most ${MAX_METADATA_VALUE_LENGTH} characters, got ${describeValue(entry)}.`,
      );
    }
  }
  return metadata as Record<string, string>;
}
