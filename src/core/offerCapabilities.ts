export type ReasoningKind = 'none' | 'optional' | 'always';

/** What an offer (one provider serving one model) declares it can do. */
export interface OfferCapabilities {
  tools: boolean;
  toolChoiceRequired: boolean;
  jsonObject: boolean;
  jsonSchema: boolean;
  vision: boolean;
  reasoning: ReasoningKind;
}
