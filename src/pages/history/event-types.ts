import { ACCESS_EVENT_TYPES } from '../../access/domain/access.events';
import { ALLIANCE_EVENT_TYPES } from '../../alliance/domain/alliance.events';
import { MEASUREMENT_EVENT_TYPES } from '../../performance/domain/measurement.events';
import { PERIOD_EVENT_TYPES } from '../../periods/domain/periods.events';
import { SAFETY_EVENT_TYPES } from '../../safety/domain/safety.events';
import { SCHEME_EVENT_TYPES } from '../../schemes/domain/scheme.events';
import { STATEMENT_EVENT_TYPES } from '../../statements/domain/statements.events';

/** Every event type the ledger writes, for the history's type filter. */
export const EVENT_TYPES: readonly string[] = [
  ...ALLIANCE_EVENT_TYPES,
  ...PERIOD_EVENT_TYPES,
  ...SCHEME_EVENT_TYPES,
  ...SAFETY_EVENT_TYPES,
  ...MEASUREMENT_EVENT_TYPES,
  ...STATEMENT_EVENT_TYPES,
  ...ACCESS_EVENT_TYPES,
];
