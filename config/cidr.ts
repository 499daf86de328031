/** Minimal IPv4 CIDR arithmetic for config validation (no dependency needed for this much). */

export interface Cidr {
  readonly text: string;
  /** First address as an unsigned 32-bit integer. */
  readonly start: number;
  /** Last address as an unsigned 32-bit integer. */
  readonly end: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; returns a reason string when the block is not canonical. */
export function parseCidr(text: string): Cidr | string {
  const [address = '', prefixText = ''] = text.split('/');
  const octets = address.split('.').map(Number);
  const prefix = Number(prefixText);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    return 'has an octet outside 0-255';
  }
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  const value = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const size = 2 ** (32 - prefix);
  if (value % size !== 0)
    return `has host bits set (the block starts at ${formatAddress(value - (value % size))})`;
  return { text, start: value, end: value + size - 1, prefix };
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function overlaps(x: Cidr, y: Cidr): boolean {
  return x.start <= y.end && y.start <= x.end;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
