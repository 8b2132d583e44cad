import type { OwlErrorCode } from './owl-error.ts';

// JSON-RPC 2.0 requires an integer code; the OWL_* code travels in `data.code`.
const STANDARD_CODES: Partial<Record<OwlErrorCode, number>> = {
  OWL_PARSE_ERROR: -32700,
  OWL_INVALID_REQUEST: -32600,
  OWL_METHOD_NOT_FOUND: -32601,
  OWL_INVALID_PARAMS: -32602,
  OWL_INTERNAL: -32603,
};

const SERVER_ERROR = -32000;

export function jsonRpcCodeFor(code: OwlErrorCode): number {
  return STANDARD_CODES[code] ?? SERVER_ERROR;
}
