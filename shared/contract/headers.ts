/** Headers that cross the edge → container hop. Lower-case, as both runtimes normalise them. */
export const REQUEST_ID_HEADER = 'x-request-id';
export const RESPONSE_TIME_HEADER = 'x-response-time-ms';
/** The edge's shared secret; the container refuses translation requests without it (when configured). */
export const EDGE_SECRET_HEADER = 'x-sema-edge-secret';
/** The client IP as the edge saw it (CF-Connecting-IP), since outbound fetches lose it. */
export const CLIENT_IP_HEADER = 'x-sema-client-ip';

/** A client-sent request id is kept only when it is short and plain, so it is safe in logs and headers. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isValidRequestId(value: string | null | undefined): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}
