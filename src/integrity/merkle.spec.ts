import fc from 'fast-check';
import { EMPTY_ROOT, inclusionPath, leafHash, merkleRoot, MerkleFrontier, nodeHash, verifyInclusion } from './merkle';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`event ${i}`));

describe('the RFC 6962 Merkle tree', () => {
  it('matches the RFC’s definition on small trees', () => {
    const [a, b, c] = leaves(3);
    expect(merkleRoot([])).toEqual(EMPTY_ROOT);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([a])).toEqual(a);
    expect(merkleRoot([a, b, c])).toEqual(nodeHash(nodeHash(a, b), c));
    // A leaf is hashed with 0x00 in front, a node with 0x01: a leaf can never pass for a node.
    expect(leafHash('')).not.toEqual(EMPTY_ROOT);
  });

  it('grows by appending to a frontier with the same root as the whole tree, at every size', () => {
    const all = leaves(70);
    const frontier = MerkleFrontier.empty();
    for (let n = 1; n <= all.length; n += 1) {
      frontier.append(all[n - 1]);
      expect(frontier.root()).toEqual(merkleRoot(all, 0, n));
      expect(MerkleFrontier.restore(n, frontier.serialize()).root()).toEqual(frontier.root());
    }
  });

  it('proves every leaf of every tree size, and refuses a proof for another leaf, index or root, or with a sibling left out', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), (size, pick) => {
        const all = leaves(size);
        const index = pick % size;
        const root = merkleRoot(all, 0, size);
        const path = inclusionPath(all, index, size);
        expect(verifyInclusion(all[index], index, size, path, root)).toBe(true);
        expect(verifyInclusion(leafHash('edited'), index, size, path, root)).toBe(false);
        expect(verifyInclusion(all[index], index, size, path, leafHash('other root'))).toBe(false);
        if (size > 1) expect(verifyInclusion(all[index], (index + 1) % size, size, path, root)).toBe(false);
        expect(verifyInclusion(all[index], index, size, path.slice(1), root)).toBe(size === 1);
      }),
    );
  });
});
