/**
 * The ledger's command names, written out so that `ledger help` and the dispatch of a verb need
 * not load the command catalogue (its DTOs and validators cost the CLI's start most of a second).
 * A test keeps this list equal to COMMAND_DEFINITIONS.
 */
export const COMMAND_NAMES = [
  'FormAlliance',
  'DefineKpi',
  'OpenPeriod',
  'CancelPeriod',
  'ClosePeriod',
  'ProposePeriodClose',
  'ApprovePeriodClose',
  'RejectPeriodClose',
  'RegisterScheme',
  'SetTargetBaseline',
  'ImplementCompensationEvent',
  'ReverseCompensationEvent',
  'RecordDefinedCost',
  'DisallowCost',
  'ReverseDefinedCost',
  'CompleteScheme',
  'RecordSiteDates',
  'ReportSafetyIncident',
  'RecordHoursWorked',
  'RecordKpiMeasurement',
  'GrantRole',
  'RevokeRole',
  'AcknowledgeStatement',
  'DisputeStatement',
] as const;

/** `record-defined-cost` → `RecordDefinedCost`: every command of the ledger is also a verb. */
export const COMMAND_VERBS: ReadonlyMap<string, string> = new Map(COMMAND_NAMES.map((name) => [kebab(name), name]));

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export const RECORD_USAGE = `  run COMMAND --alliance A [--data JSON] [--command-id ID]
                                      record any command (the data of POST /alliances/A/commands)
  <command-as-verb> --alliance A [--period P] [--scheme S] [--partner X] [--amount M] [--reason TEXT] [--data JSON]
                                      the same, one verb per command: ${[...COMMAND_VERBS.keys()].join(', ')}
                                      e.g. record-defined-cost --alliance A --scheme S --period P --data '{"costId":"INV-1"}' --amount 1250.00
                                      --token T acts as the token's subject (e.g. an approver after
                                      your own proposal: four eyes are two people, not two commands)`;
