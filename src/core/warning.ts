/** Codes of `routing_metadata.warnings` (contract §5.3). */
export type WarningCode =
  | 'unsupported_field'
  | 'unsupported_parameter'
  | 'blocked_extension_field'
  | 'legacy_field_converted'
  | 'fallback_used';

export interface Warning {
  code: WarningCode;
  message: string;
  param?: string;
}
