// Order IDs are opaque base64 strings ("T3JkZXI6MTI="). A link to an order encodes the ID,
// and the order page decodes it: a mail client or chat that percent-encodes the link
// ("…%3D%3D") still opens the order.

export function orderPath(id: string): string {
  return `/orders/${encodeURIComponent(id)}`;
}

/** The ID from the address, or null when the link is damaged (a broken %-escape). */
export function orderIdFromPath(segment: string): string | null {
  let id = segment;
  try {
    // Twice at most: some tools encode an already encoded link again.
    for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(id); i++) id = decodeURIComponent(id);
  } catch {
    return null;
  }
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(id) ? id : null;
}
