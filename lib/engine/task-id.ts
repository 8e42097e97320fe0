import { randomFillSync } from 'node:crypto';

const UUIDS_PER_POOL = 256;
const pool = Buffer.allocUnsafe(16 * UUIDS_PER_POOL);
let offset = pool.length;
const text = Buffer.allocUnsafe(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * A random (v4) UUID as a flat string. crypto.randomUUID() returns a rope of ~20 concatenated pieces
 * (~490 bytes of heap until flattened); with a million pending tasks that is most of their memory.
 */
export function newTaskId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  pool[offset + 6] = (pool[offset + 6]! & 0x0f) | 0x40; // version 4
  pool[offset + 8] = (pool[offset + 8]! & 0x3f) | 0x80; // RFC 4122 variant
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[j++] = 0x2d;
    const byte = pool[offset + i]!;
    text[j++] = HEX[byte >> 4]!;
    text[j++] = HEX[byte & 15]!;
  }
  offset += 16;
  return text.toString('latin1', 0, 36);
}
