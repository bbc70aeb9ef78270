import { canonicalJson } from '../shared/canonical-json';
import { CertificateSealer, PeriodCertificate } from '../settlement/domain/summary.types';
import { StoredPeriodCertificate } from '../periods/domain/periods.events';
import { Signature, SigningKeys } from './signing-keys';

/**
 * What is signed: a fixed context line, then the canonical JSON of the alliance, the period and
 * the certificate exactly as recorded in `PeriodClosed`, without its `signature`. The context
 * keeps a certificate's signature from passing for a tree head's, and the other way round.
 */
export const CERTIFICATE_CONTEXT = 'alliance-ledger/period-certificate/v1\n';
export const TREE_HEAD_CONTEXT = 'alliance-ledger/tree-head/v1\n';

export function certificateSigningInput(allianceId: string, periodId: string, certificate: StoredPeriodCertificate | PeriodCertificate): Buffer {
  const { signature: _signature, ...unsigned } = certificate;
  return Buffer.from(`${CERTIFICATE_CONTEXT}${canonicalJson({ allianceId, periodId, certificate: unsigned })}`, 'utf8');
}

export function treeHeadSigningInput(allianceId: string, treeSize: number, root: string): Buffer {
  return Buffer.from(`${TREE_HEAD_CONTEXT}${canonicalJson({ allianceId, treeSize, root })}`, 'utf8');
}

export function certificateSealer(keys: SigningKeys): CertificateSealer {
  return (allianceId, periodId, certificate) => keys.sign(certificateSigningInput(allianceId, periodId, certificate));
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown_key' | 'absent';

export function checkCertificateSignature(keys: SigningKeys, allianceId: string, periodId: string, certificate: StoredPeriodCertificate): SignatureCheck {
  const signature = certificate.signature as Signature | null | undefined;
  if (!signature) return 'absent';
  return keys.verify(certificateSigningInput(allianceId, periodId, certificate), signature);
}
