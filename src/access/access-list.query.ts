import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccessControl } from './access-control';
import { RoleGrant } from './domain/roles';

export class GetAccessList {
  constructor(
    readonly allianceId: string,
    readonly asAt?: Date,
  ) {}
}

export interface AccessList {
  allianceId: string;
  asAt: string | null;
  /** Subjects in LEDGER_ADMINS: every role in every alliance (configuration, not ledger data). */
  administrators: string[];
  grants: RoleGrant[];
}

@QueryHandler(GetAccessList)
export class GetAccessListHandler implements IQueryHandler<GetAccessList, AccessList> {
  constructor(
    private readonly access: AccessControl,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ allianceId, asAt }: GetAccessList): Promise<AccessList> {
    return {
      allianceId,
      asAt: asAt?.toISOString() ?? null,
      administrators: [...this.config.auth.admins].sort(),
      grants: await this.access.grantsAsAt(allianceId, asAt),
    };
  }
}
