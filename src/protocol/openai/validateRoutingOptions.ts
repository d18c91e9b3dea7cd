import { STRATEGIES, type RoutingOptions, type RoutingWeights, type Strategy } from '../../core/chatRequest.js';
import { invalidParameter, invalidRequest } from '../../core/gatewayError.js';
import type { Warning } from '../../core/warning.js';
import {
  describeValue,
  enumRule,
  expectBoolean,
  expectEnum,
  expectNumber,
  expectRecord,
  expectStringArray,
  expectNonEmptyString,
  isAbsent,
  numberRule,
} from './valueChecks.js';

export type RoutingMode = 'pool' | 'fallback';

export interface ValidatedRouting {
  /** Only the fields the caller sent. */
  routing: RoutingOptions;
  /** `routing.mode` (decision of the contract §3: accepted here too); `gateway.mode` wins over it. */
  mode: RoutingMode | undefined;
}

export const MODE_RULE = enumRule<RoutingMode>(['pool', 'fallback']);

const LEGACY_OPTIMIZE: ReadonlyMap<string, Strategy> = new Map([
  ['cheapest', 'cost-focus'],
  ['throughput', 'tps'],
]);
const OPTIMIZE_RULE = enumRule<Strategy | 'cheapest' | 'throughput' | 'speed'>([...STRATEGIES, 'cheapest', 'throughput', 'speed']);
const PERCENTILE_RULE = enumRule<'p50' | 'p95'>(['p50', 'p95']);
const DATA_POLICY_RULE = enumRule<'zdr' | 'no_training'>(['zdr', 'no_training']);
const TIER_RULE = enumRule<'priority'>(['priority']);
const POSITIVE = numberRule({ min: 0, minExclusive: true });
const NON_NEGATIVE = numberRule({ min: 0 });
const FRACTION = numberRule({ min: 0, max: 1 });
const FALLBACK_ATTEMPTS = numberRule({ integer: true, min: 0, max: 10 });
const WEIGHT = numberRule({ min: 0, description: 'a non-negative number' });
const WEIGHT_KEYS: readonly (keyof RoutingWeights)[] = ['cost', 'ttft', 'tps', 'reliability'];

/**
 * Validates `gateway.routing` (contract §4.4); `param` is where the object was found
 * (`gateway.routing`, or `routing` for the legacy top-level spelling). Unknown keys are dropped with
 * an `unsupported_field` warning.
 */
export function validateRoutingOptions(value: unknown, param: string, warnings: Warning[]): ValidatedRouting {
  const input = expectRecord(value, param);
  const routing: RoutingOptions = {};
  let mode: RoutingMode | undefined;
  let excludeAlias: string[] | undefined;
  let speed = false;
  for (const key of Object.keys(input)) {
    const field = input[key];
    if (isAbsent(field)) continue;
    const path = `${param}.${key}`;
    switch (key) {
      case 'optimize': {
        const optimize = readOptimize(field, path, warnings);
        if (optimize === 'speed') speed = true;
        else routing.optimize = optimize;
        break;
      }
      case 'weights':
        routing.weights = readWeights(field, path, warnings);
        break;
      case 'mode':
        mode = expectEnum(field, path, MODE_RULE);
        break;
      case 'max_ttft_ms':
        routing.max_ttft_ms = expectNumber(field, path, POSITIVE);
        break;
      case 'ttft_percentile':
        routing.ttft_percentile = expectEnum(field, path, PERCENTILE_RULE);
        break;
      case 'min_throughput_tps':
        routing.min_throughput_tps = expectNumber(field, path, POSITIVE);
        break;
      case 'throughput_percentile':
        routing.throughput_percentile = expectEnum(field, path, PERCENTILE_RULE);
        break;
      case 'min_success_rate':
        routing.min_success_rate = expectNumber(field, path, FRACTION);
        break;
      case 'max_cost_per_1m':
        routing.max_cost_per_1m = expectNumber(field, path, NON_NEGATIVE);
        break;
      case 'providers':
        routing.providers = expectStringArray(field, path);
        break;
      case 'exclude':
        routing.exclude = expectStringArray(field, path);
        break;
      case 'exclude_providers':
        excludeAlias = expectStringArray(field, path);
        break;
      case 'prefer':
        routing.prefer = typeof field === 'string' ? [expectNonEmptyString(field, path)] : readPrefer(field, path);
        break;
      case 'data_policy':
        routing.data_policy = expectEnum(field, path, DATA_POLICY_RULE);
        break;
      case 'only_byok':
        routing.only_byok = expectBoolean(field, path);
        break;
      case 'only_platform':
        routing.only_platform = expectBoolean(field, path);
        break;
      case 'require_parameters':
        routing.require_parameters = expectBoolean(field, path);
        break;
      case 'allow_fallbacks':
        routing.allow_fallbacks = expectBoolean(field, path);
        break;
      case 'max_fallback_attempts':
        routing.max_fallback_attempts = expectNumber(field, path, FALLBACK_ATTEMPTS);
        break;
      case 'tier':
        routing.tier = expectEnum(field, path, TIER_RULE);
        break;
      case 'deadline_ms':
        routing.deadline_ms = expectNumber(field, path, POSITIVE);
        break;
      default:
        warnings.push({ code: 'unsupported_field', param: path, message: `'${path}' is not a routing option and was ignored.` });
    }
  }
  if (speed) {
    // Legacy `speed` = TTFT and throughput evenly: expressed as custom weights unless explicit ones were sent.
    const path = `${param}.optimize`;
    const message =
      routing.weights === undefined
        ? `'${path}': 'speed' is a legacy value; routed with weights {ttft: 1, tps: 1} instead.`
        : `'${path}': 'speed' is a legacy value and was ignored because '${param}.weights' is set.`;
    routing.weights ??= { ttft: 1, tps: 1 };
    warnings.push({ code: 'legacy_field_converted', param: path, message });
  }
  if (excludeAlias !== undefined) {
    // `exclude_providers` is an alias; when both are sent, both lists exclude.
    routing.exclude = routing.exclude === undefined ? excludeAlias : [...new Set([...routing.exclude, ...excludeAlias])];
  }
  if (routing.only_byok === true && routing.only_platform === true) {
    throw invalidRequest(`'${param}.only_byok' and '${param}.only_platform' cannot both be true.`, `${param}.only_byok`);
  }
  return { routing, mode };
}

/** The strategy for `optimize`, converting the legacy names; `speed` has no single strategy and is handled by the caller. */
function readOptimize(value: unknown, path: string, warnings: Warning[]): Strategy | 'speed' {
  const optimize = expectEnum(value, path, OPTIMIZE_RULE);
  const converted = LEGACY_OPTIMIZE.get(optimize);
  if (converted === undefined) return optimize as Strategy | 'speed';
  warnings.push({ code: 'legacy_field_converted', param: path, message: `'${path}': '${optimize}' is a legacy value; using '${converted}'.` });
  return converted;
}

function readWeights(value: unknown, path: string, warnings: Warning[]): RoutingWeights {
  const input = expectRecord(value, path);
  const weights: RoutingWeights = {};
  let positive = false;
  for (const key of Object.keys(input)) {
    const weight = input[key];
    if (isAbsent(weight)) continue;
    if (!(WEIGHT_KEYS as readonly string[]).includes(key)) {
      warnings.push({ code: 'unsupported_field', param: `${path}.${key}`, message: `'${path}.${key}' is not a routing weight and was ignored.` });
      continue;
    }
    const number = expectNumber(weight, `${path}.${key}`, WEIGHT);
    weights[key as keyof RoutingWeights] = number;
    if (number > 0) positive = true;
  }
  if (!positive) {
    throw invalidParameter(path, `'${path}' must give at least one of ${WEIGHT_KEYS.join(', ')} a positive weight.`);
  }
  return weights;
}

function readPrefer(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) {
    throw invalidParameter(path, `'${path}' must be a provider id or an array of provider ids, got ${describeValue(value)}.`);
  }
  return expectStringArray(value, path);
}
