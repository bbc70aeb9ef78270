import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Public } from '../access/route-access';
import { AllianceDigest } from './alliance-digests';
import { InclusionProof } from './inclusion-proof';
import { GetAllianceDigest, GetInclusionProof } from './integrity.queries';
import { PublishedKey, SigningKeys, WELL_KNOWN_KEYS_PATH } from './signing-keys';

@ApiTags('Integrity')
@Controller()
export class IntegrityController {
  constructor(
    private readonly queries: QueryBus,
    private readonly keys: SigningKeys,
  ) {}

  @Allow('read')
  @Get('alliances/:allianceId/digest')
  @ApiOperation({ summary: 'The current digest of the alliance’s whole history: the Merkle root over its events, the tree size, the newest position, signed' })
  digest(@Param('allianceId') allianceId: string): Promise<AllianceDigest> {
    return this.queries.execute(new GetAllianceDigest(allianceId));
  }

  @Allow('read')
  @Get('alliances/:allianceId/events/:eventId/proof')
  @ApiOperation({ summary: 'A proof that the event is covered by a certified digest: its audit path to the root a signed certificate records (check with tools/verify-ledger.mjs)' })
  proof(@Param('allianceId') allianceId: string, @Param('eventId') eventId: string): Promise<InclusionProof> {
    return this.queries.execute(new GetInclusionProof(allianceId, eventId));
  }

  @Public()
  @Get(WELL_KNOWN_KEYS_PATH)
  @ApiOperation({ summary: 'The public keys certificates and digests are signed with (a JWK set): the active key first, then every retired one' })
  publishedKeys(): { keys: PublishedKey[] } {
    return this.keys.published();
  }
}
