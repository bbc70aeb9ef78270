import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 6962 (Certificate Transparency), as RFC 9162 §2.1 defines it: leaves are
 * hashed as SHA-256(0x00 ‖ data), interior nodes as SHA-256(0x01 ‖ left ‖ right), and a tree of
 * n leaves splits at the largest power of two below n. The prefixes keep a leaf from passing for
 * a node. `tools/verify-ledger.mjs` implements the same in plain JavaScript.
 */

export const TREE_ALGORITHM = 'rfc6962-sha256' as const;

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);
export const EMPTY_ROOT = createHash('sha256').digest();

export function leafHash(data: string | Buffer): Buffer {
  // One call for the common case, a leaf's text: the zero byte then its UTF-8.
  if (typeof data === 'string') return hash('sha256', `\u0000${data}`, 'buffer') as unknown as Buffer;
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root of leaves [start, end). */
export function merkleRoot(leaves: readonly Buffer[], start = 0, end = leaves.length): Buffer {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[start];
  const k = splitPoint(n);
  return nodeHash(merkleRoot(leaves, start, start + k), merkleRoot(leaves, start + k, end));
}

/** The audit path of leaf `index` in the tree of the first `size` leaves (RFC 6962 §2.1.1), leaf to root. */
export function inclusionPath(leaves: readonly Buffer[], index: number, size: number): Buffer[] {
  if (!(index >= 0 && index < size && size <= leaves.length)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Buffer[] = [];
  let start = 0;
  let end = size;
  const siblings: Buffer[] = [];
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      siblings.push(merkleRoot(leaves, start + k, end));
      end = start + k;
    } else {
      siblings.push(merkleRoot(leaves, start, start + k));
      start += k;
    }
  }
  for (let i = siblings.length - 1; i >= 0; i -= 1) path.push(siblings[i]);
  return path;
}

/** RFC 9162 §2.1.3.2: whether `path` leads from the leaf at `index` to `root` in a tree of `size`. */
export function verifyInclusion(leaf: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let hash = leaf;
  for (const sibling of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(root);
}

/**
 * The right edge of a growing tree: the roots of its perfect subtrees, largest first, one per set
 * bit of its size. Appending is O(log n) and amortised O(1) hashes; the root folds them right to left.
 */
export class MerkleFrontier {
  private constructor(
    private nodes: Buffer[],
    private count: number,
  ) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier([], 0);
  }

  /** From `serialize()`: the size and the subtree roots as hex, comma-separated. */
  static restore(size: number, text: string): MerkleFrontier {
    const nodes = text === '' ? [] : text.split(',').map((hex) => Buffer.from(hex, 'hex'));
    if (nodes.length !== popCount(size)) throw new RangeError(`a frontier of ${size} leaves has ${popCount(size)} nodes, not ${nodes.length}`);
    return new MerkleFrontier(nodes, size);
  }

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    let node = leaf;
    // The new leaf merges with each perfect subtree of its own height: one per trailing 1 bit of the old size.
    for (let size = this.count; size % 2 === 1; size = Math.floor(size / 2)) node = nodeHash(this.nodes.pop()!, node);
    this.nodes.push(node);
    this.count += 1;
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i -= 1) hash = nodeHash(this.nodes[i], hash);
    return hash;
  }

  serialize(): string {
    return this.nodes.map((node) => node.toString('hex')).join(',');
  }

  clone(): MerkleFrontier {
    return new MerkleFrontier([...this.nodes], this.count);
  }
}

function popCount(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}
