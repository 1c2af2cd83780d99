/**
 * A hash table from integer keys (0 ≤ key < 2^53) to integer values (−2^31 ≤ value < 2^31),
 * held in typed arrays: about 13 bytes an entry at most half full, outside the JavaScript heap,
 * so a million entries neither weigh on the garbage collector nor cost an object each.
 * Open addressing with linear probing; deletion shifts the following entries back (no tombstones).
 */
export class NumberTable {
  private keys: Float64Array;
  private values: Int32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
  }

  get size(): number {
    return this.count;
  }

  get(key: number): number | undefined {
    const slot = this.find(key);
    return this.used[slot] ? this.values[slot] : undefined;
  }

  has(key: number): boolean {
    return this.used[this.find(key)] === 1;
  }

  set(key: number, value: number): void {
    const slot = this.find(key);
    if (!this.used[slot]) {
      this.used[slot] = 1;
      this.keys[slot] = key;
      this.count++;
    }
    this.values[slot] = value;
    if (this.count * 2 > this.mask + 1) this.grow();
  }

  delete(key: number): boolean {
    let slot = this.find(key);
    if (!this.used[slot]) return false;
    this.used[slot] = 0;
    this.count--;
    // Entries after it that probed past this slot move back into the gap.
    for (let next = (slot + 1) & this.mask; this.used[next]; next = (next + 1) & this.mask) {
      const home = this.home(this.keys[next]);
      const between = slot <= next ? slot < home && home <= next : slot < home || home <= next;
      if (between) continue;
      this.keys[slot] = this.keys[next];
      this.values[slot] = this.values[next];
      this.used[slot] = 1;
      this.used[next] = 0;
      slot = next;
    }
    return true;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(key: number): number {
    let slot = this.home(key);
    while (this.used[slot] && this.keys[slot] !== key) slot = (slot + 1) & this.mask;
    return slot;
  }

  /** The key's first slot: both 32-bit halves, mixed (MurmurHash3's finalizer) so that every bit counts. */
  private home(key: number): number {
    let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }

  private grow(): void {
    const { keys, values, used } = this;
    const slots = used.length * 2;
    this.keys = new Float64Array(slots);
    this.values = new Int32Array(slots);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
    this.count = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.set(keys[i], values[i]);
  }
}
