import { AlliancePagesController } from './alliance/alliance-pages.controller';
import { AssetsController } from './assets/assets.controller';
import { ExportsController } from './exports/exports.controller';
import { HistoryPagesController } from './history/history-pages.controller';
import { Viewers } from './layout/viewer';
import { PageActionsController } from './periods/page-actions.controller';
import { PeriodPagesController } from './periods/period-pages.controller';
import { StatementPagesController } from './statements/statement-pages.controller';

/** The people's side: pages, charts and exports, over the same query and command buses as the API. */
export const PORTAL_CONTROLLERS = [AssetsController, AlliancePagesController, PeriodPagesController, StatementPagesController, HistoryPagesController, ExportsController, PageActionsController];
export const PORTAL_PROVIDERS = [Viewers];
