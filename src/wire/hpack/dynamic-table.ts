/**
 * The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of entries bounded by octet size, shared in
 * shape by the encoder and the decoder (each keeps its own).
 *
 * @example
 * const t = new DynamicTable(256);
 * t.add('custom-key', 'custom-header', 10, 13);
 * t.size;     // 55
 * t.get(1);   // { name: 'custom-key', value: 'custom-header', size: 55, nameOctets: 10 }
 */

/** One entry; `size` is in octets as RFC 7541 §4.1 counts it (name + value octets + 32). */
export interface TableEntry {
  readonly name: string;
  readonly value: string;
  readonly size: number;
  /** Octets of the name on the wire (the value's are `size - nameOctets - 32`). */
  readonly nameOctets: number;
}

/** RFC 7541 §4.1: each entry costs 32 octets on top of its name and value. */
export const ENTRY_OVERHEAD = 32;

/**
 * Entries newest first; dynamic index 1 is HPACK index 62 (RFC 7541 §2.3.3).
 *
 * @example
 * new DynamicTable(256).add(':status', '302', 7, 3); // size 42 (RFC 7541 C.5.1)
 */
export class DynamicTable {
  /** Newest first: `entries[0]` has dynamic index 1 (HPACK index 62). */
  private entries: TableEntry[] = [];
  private bytes = 0;
  private max: number;

  constructor(maxSize = 4096) {
    this.max = maxSize;
  }

  /** Current size in octets (RFC 7541 §4.1). */
  get size(): number {
    return this.bytes;
  }
  /** Current maximum size in octets (set by a dynamic table size update). */
  get maxSize(): number {
    return this.max;
  }
  get length(): number {
    return this.entries.length;
  }

  /** Entry at dynamic index `i` (1 = newest), or undefined. */
  get(i: number): TableEntry | undefined {
    return this.entries[i - 1];
  }

  /** A copy of the entries, newest first, for inspection and tests. */
  snapshot(): TableEntry[] {
    return this.entries.slice();
  }

  /** The first dynamic index (1-based) whose name and value match, and the first whose name matches. */
  find(name: string, value: string): { exact?: number; name?: number } {
    let byName: number | undefined;
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.name !== name) continue;
      if (e.value === value) return { exact: i + 1, name: byName ?? i + 1 };
      byName ??= i + 1;
    }
    return byName === undefined ? {} : { name: byName };
  }

  /**
   * Add an entry; `nameOctets`/`valueOctets` are the octet lengths as sent on the wire.
   */
  add(name: string, value: string, nameOctets: number, valueOctets: number): void {
    const size = nameOctets + valueOctets + ENTRY_OVERHEAD;
    // RFC 7541 §4.4: an entry larger than the maximum size empties the table and is not added.
    if (size > this.max) {
      this.entries = [];
      this.bytes = 0;
      return;
    }
    // RFC 7541 §4.4: evict from the end until the new entry fits.
    this.evictTo(this.max - size);
    this.entries.unshift({ name, value, size, nameOctets });
    this.bytes += size;
  }

  /** RFC 7541 §4.3: a new maximum size evicts entries until the table fits. */
  setMaxSize(max: number): void {
    this.max = max;
    this.evictTo(max);
  }

  private evictTo(limit: number): void {
    while (this.bytes > limit && this.entries.length > 0) {
      this.bytes -= this.entries.pop()!.size;
    }
  }
}
