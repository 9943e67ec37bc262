/**
 * The client address of a request to the container.
 *
 * Without trusted proxies the socket address is the client; `X-Forwarded-For` is ignored because
 * anyone can send it. With `trustProxyHops` = n (Hugging Face Spaces puts one proxy in front), the
 * n-th address from the right of X-Forwarded-For is the one the outermost trusted proxy saw.
 */
export function clientIp(socketAddress: string | undefined, forwardedFor: string | undefined, trustProxyHops: number): string {
  const socket = socketAddress ?? 'unknown';
  if (trustProxyHops <= 0 || !forwardedFor) return socket;
  const hops = forwardedFor
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  // The last `trustProxyHops - 1` entries were appended by our own proxies; the one before is the client.
  const index = hops.length - trustProxyHops;
  return index >= 0 ? (hops[index] ?? socket) : (hops[0] ?? socket);
}
