import { Provider } from '@nestjs/common';
import { CERTIFICATE_SEALER } from '../commanding/command-definition';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AllianceDigests } from './alliance-digests';
import { certificateSealer } from './certificate-signing';
import { IntegrityController } from './integrity.controller';
import { GetAllianceDigestHandler, GetInclusionProofHandler, VerifyLedgerHandler } from './integrity.queries';
import { SigningKeys } from './signing-keys';

export const INTEGRITY_CONTROLLERS = [IntegrityController];

/** Signing keys from the data directory, the sealer that signs certificates, digests, proofs and verification. */
export const INTEGRITY_PROVIDERS: Provider[] = [
  { provide: SigningKeys, useFactory: (config: AppConfig) => SigningKeys.open(config.dataDir), inject: [APP_CONFIG] },
  { provide: CERTIFICATE_SEALER, useFactory: certificateSealer, inject: [SigningKeys] },
  AllianceDigests,
  GetAllianceDigestHandler,
  GetInclusionProofHandler,
  VerifyLedgerHandler,
];
