/**
 * Every stream the ledger writes is named `ledger.{allianceId}.{kind}[.{id}]`. Alliance and scheme
 * ids cannot contain dots, so the prefix `ledger.{allianceId}.` selects exactly one alliance's
 * events and `ledger.` selects the ledger's among other applications' streams.
 */
export const LEDGER_PREFIX = 'ledger.';

export const streamNames = {
  alliance: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.alliance`,
  periods: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.periods`,
  scheme: (allianceId: string, schemeId: string) => `${LEDGER_PREFIX}${allianceId}.scheme.${schemeId}`,
  safety: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.safety`,
  measurements: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.measurements`,
  /** Who holds which role in the alliance (GrantRole / RevokeRole). */
  access: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.access`,
  /** Partners' sign-off of their certified statements. */
  statements: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.statements`,
  alliancePrefix: (allianceId: string) => `${LEDGER_PREFIX}${allianceId}.`,
};

/** The alliance a ledger stream belongs to, or undefined for a stream that is not the ledger's. */
export function allianceOfStream(streamName: string): string | undefined {
  if (!streamName.startsWith(LEDGER_PREFIX)) return undefined;
  const end = streamName.indexOf('.', LEDGER_PREFIX.length);
  return end > LEDGER_PREFIX.length ? streamName.slice(LEDGER_PREFIX.length, end) : undefined;
}
