#!/usr/bin/env node
// Alliance Ledger's standalone verifier. One file, Node 18 or later, nothing else: no packages,
// no network, no access to the service. See docs/auditing.md ("Checking on your own machine").
//
//   node verify-ledger.mjs export FILE --keys KEYS.json [--certificate CERT.json]
//   node verify-ledger.mjs proof FILE --keys KEYS.json
//
// KEYS.json is the JWK set the service publishes at /.well-known/alliance-ledger-keys.json, fetched
// and kept by you. Exit code: 0 everything checks, 1 something does not, 2 the command was wrong.

import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const CERTIFICATE_CONTEXT = 'alliance-ledger/period-certificate/v1\n';

// ---- The digest: RFC 6962 Merkle tree over canonical JSON leaves --------------------------------

/** JSON with object keys sorted and no whitespace; undefined members left out. */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const parts = [];
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(value[key])}`);
  }
  return `{${parts.join(',')}}`;
}

const sha256 = (...parts) => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
const leafHash = (text) => sha256(Buffer.from([0]), Buffer.from(text, 'utf8'));
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);
const EMPTY_ROOT = sha256();

/** A leaf: the event's id, stream, revision (decimal text), type, data and metadata, as canonical JSON. */
export function eventLeaf(event) {
  return leafHash(canonicalJson({ id: event.id, streamName: event.streamName, revision: String(event.revision), type: event.type, data: event.data, metadata: event.metadata ?? {} }));
}

/** The right edge of a growing tree: one perfect subtree root per set bit of its size. */
class Frontier {
  nodes = [];
  size = 0;
  append(leaf) {
    let node = leaf;
    for (let size = this.size; size % 2 === 1; size = Math.floor(size / 2)) node = nodeHash(this.nodes.pop(), node);
    this.nodes.push(node);
    this.size += 1;
  }
  root() {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i -= 1) hash = nodeHash(this.nodes[i], hash);
    return hash;
  }
}

/** RFC 9162 §2.1.3.2: does the audit path lead from the leaf at `index` to `root` in a tree of `size`? */
export function verifyInclusion(leaf, index, size, path, root) {
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

// ---- Signatures: Ed25519 over the certificate as recorded ---------------------------------------

function loadKeys(path) {
  const set = JSON.parse(readFileSync(path, 'utf8'));
  const keys = new Map();
  for (const jwk of set.keys ?? []) {
    if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.kid === 'string') keys.set(jwk.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }));
  }
  return keys;
}

/** 'valid', 'invalid', 'unknown key' or 'unsigned'. */
export function checkCertificate(keys, allianceId, periodId, certificate) {
  const { signature, ...unsigned } = certificate;
  if (!signature) return 'unsigned';
  const key = keys.get(signature.keyId);
  if (!key) return 'unknown key';
  if (signature.algorithm !== 'Ed25519') return 'invalid';
  const message = Buffer.from(CERTIFICATE_CONTEXT + canonicalJson({ allianceId, periodId, certificate: unsigned }), 'utf8');
  return verify(null, message, key, Buffer.from(signature.value, 'base64url')) ? 'valid' : 'invalid';
}

// ---- Commands --------------------------------------------------------------------------------

let failures = 0;
const ok = (text) => process.stdout.write(`OK    ${text}\n`);
const fail = (text) => {
  failures += 1;
  process.stdout.write(`FAIL  ${text}\n`);
};

async function checkExport(file, keys, certificateFile) {
  const frontier = new Frontier();
  const rootsAt = new Map();
  const certificates = [];
  let header;
  let trailer;
  let lineNumber = 0;
  const revisions = new Map();
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    const line = JSON.parse(text);
    if (lineNumber === 1) {
      if (line.kind !== 'header' || line.format !== 'alliance-ledger-export' || line.version !== 1) throw new Error(`${file} is not an alliance-ledger export (version 1)`);
      header = line;
      continue;
    }
    if (line.kind === 'digest') {
      trailer = line;
      continue;
    }
    if (line.kind !== 'event') throw new Error(`line ${lineNumber}: unexpected "${line.kind}"`);
    const expected = (revisions.get(line.streamName) ?? -1n) + 1n;
    if (BigInt(line.revision) !== expected) fail(`line ${lineNumber}: ${line.streamName} revision ${line.revision} where ${expected} was due (an event is missing or moved)`);
    revisions.set(line.streamName, BigInt(line.revision));
    frontier.append(eventLeaf(line));
    rootsAt.set(frontier.size, null);
    if (line.type === 'PeriodClosed' && line.data?.certificate?.ledger) certificates.push({ allianceId: header.allianceId, periodId: line.data.periodId, certificate: line.data.certificate, source: `PeriodClosed ${line.data.periodId}` });
  }
  if (!header) throw new Error(`${file} is empty`);
  if (certificateFile) {
    const given = JSON.parse(readFileSync(certificateFile, 'utf8'));
    const certificate = given.certificate ?? given;
    certificates.push({ allianceId: given.allianceId ?? header.allianceId, periodId: given.periodId, certificate, source: `certificate file ${certificateFile}` });
  }
  // The tree's root at every size a certificate names, in a second pass over the leaves.
  const wanted = new Set(certificates.map((entry) => entry.certificate.ledger?.treeSize));
  const replay = new Frontier();
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text);
    if (line.kind !== 'event') continue;
    replay.append(eventLeaf(line));
    if (wanted.has(replay.size)) rootsAt.set(replay.size, replay.root().toString('hex'));
  }
  const root = frontier.root().toString('hex');
  if (!trailer) fail(`the export ends without its digest line: it was cut short`);
  else if (trailer.treeSize !== frontier.size || trailer.root !== root) fail(`the events give root ${root} over ${frontier.size} events, but the export ends with ${trailer.root} over ${trailer.treeSize}`);
  else ok(`alliance ${header.allianceId}: ${frontier.size} events, root ${root}`);
  if (certificates.length === 0 && !certificateFile) process.stdout.write(`NOTE  no signed certificate in the export: nothing ties its digest to the service's keys\n`);
  for (const entry of certificates) {
    const { ledger } = entry.certificate;
    if (entry.allianceId !== header.allianceId) {
      fail(`${entry.source}: for alliance ${entry.allianceId}, not ${header.allianceId}`);
      continue;
    }
    const signature = checkCertificate(keys, entry.allianceId, entry.periodId, entry.certificate);
    if (signature !== 'valid') fail(`${entry.source}: signature ${signature}`);
    if (!ledger) {
      fail(`${entry.source}: records no ledger digest`);
      continue;
    }
    const recomputed = rootsAt.get(ledger.treeSize) ?? null;
    if (recomputed !== ledger.root) fail(`${entry.source}: certifies root ${ledger.root} over the first ${ledger.treeSize} events; the export gives ${recomputed ?? `only ${frontier.size} events`}`);
    else if (signature === 'valid') ok(`${entry.source}: signed by key ${entry.certificate.signature.keyId}, root ${ledger.root} over the first ${ledger.treeSize} events matches`);
  }
}

function checkProof(file, keys) {
  const proof = JSON.parse(readFileSync(file, 'utf8'));
  if (proof.format !== 'alliance-ledger-inclusion-proof' || proof.version !== 1) throw new Error(`${file} is not an alliance-ledger inclusion proof (version 1)`);
  const { certificate, periodId } = proof.certificate;
  const signature = checkCertificate(keys, proof.allianceId, periodId, certificate);
  if (signature !== 'valid') fail(`certificate ${periodId}: signature ${signature}`);
  const ledger = certificate.ledger;
  if (!ledger) return fail(`certificate ${periodId} records no ledger digest`);
  if (ledger.treeSize !== proof.treeSize) fail(`the proof is for a tree of ${proof.treeSize}, the certificate signed one of ${ledger.treeSize}`);
  const leaf = eventLeaf(proof.event);
  if (leaf.toString('hex') !== proof.leafHash) fail(`the event as given hashes to ${leaf.toString('hex')}, not the proof's leaf ${proof.leafHash}`);
  const path = proof.auditPath.map((hex) => Buffer.from(hex, 'hex'));
  if (!verifyInclusion(leaf, proof.leafIndex, ledger.treeSize, path, Buffer.from(ledger.root, 'hex'))) {
    fail(`event ${proof.event.id} is not covered by the root ${ledger.root} certified for ${periodId}: the event or the path was changed`);
  } else if (signature === 'valid') {
    ok(`event ${proof.event.id} (${proof.event.streamName} revision ${proof.event.revision}, ${proof.event.type}) is leaf ${proof.leafIndex} of the ${ledger.treeSize} events certified for ${periodId}, signed by key ${certificate.signature.keyId}`);
  }
}

const USAGE = `Usage:
  node verify-ledger.mjs export FILE --keys KEYS.json [--certificate CERT.json]
  node verify-ledger.mjs proof FILE --keys KEYS.json`;

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ options: { keys: { type: 'string' }, certificate: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (values.help || !['export', 'proof'].includes(command) || !file || !values.keys) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const keys = loadKeys(values.keys);
  if (command === 'export') await checkExport(file, keys, values.certificate);
  else checkProof(file, keys);
  process.stdout.write(failures === 0 ? 'VERIFIED\n' : `NOT VERIFIED: ${failures} problem${failures === 1 ? '' : 's'}\n`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`FAIL  ${error.message}\nNOT VERIFIED\n`);
    process.exitCode = 1;
  },
);
