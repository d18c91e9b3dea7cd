import type { ParameterName } from '../core/chatRequest.js';
import type { ProviderType } from '../config/configSchema.js';
import type { OfferCapabilities } from '../core/offerCapabilities.js';
import type { OfferPrice } from '../pricing/offerPrice.js';

export type { OfferCapabilities, ReasoningKind } from '../core/offerCapabilities.js';

/** One provider serving one model: what routing chooses between. */
export interface Offer {
  /** `<provider id>/<upstream model>`, unique in the catalog. */
  key: string;
  modelId: string;
  providerId: string;
  providerType: ProviderType;
  upstreamModel: string;
  price: OfferPrice;
  /** Prices as configured (USD per 1M tokens), for the directory. */
  priceUsd: { input: number; output: number; cache_read?: number | undefined; cache_write?: number | undefined };
  contextWindow: number | undefined;
  maxOutputTokens: number | undefined;
  dataPolicy: 'zdr' | 'no_training' | 'training' | undefined;
  expect: { ttftMs: number | undefined; tps: number | undefined };
  capabilities: OfferCapabilities;
  /** Optional parameters the offer accepts; undefined means every parameter. */
  supportedParameters: ReadonlySet<ParameterName> | undefined;
  tier: 'standard' | 'priority';
  source: 'config' | 'builtin';
  /** The provider has no key of the gateway's: the offer serves only callers who bring their own. */
  byokOnly: boolean;
}
