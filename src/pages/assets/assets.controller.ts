import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { notFound } from '../../shared/domain-error';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../access/route-access';

/** Our stylesheet, chart glue and icon (beside this file), and Chart.js from node_modules: no CDN, nothing inline. */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  'ledger.css': { path: () => join(__dirname, 'ledger.css'), type: 'text/css; charset=utf-8' },
  'charts.js': { path: () => join(__dirname, 'charts.js'), type: 'text/javascript; charset=utf-8' },
  'favicon.svg': { path: () => join(__dirname, 'favicon.svg'), type: 'image/svg+xml' },
  'chart.umd.min.js': { path: () => join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
};

@ApiExcludeController()
@Controller()
export class AssetsController {
  private readonly cache = new Map<string, Buffer>();

  @Public()
  @Get('assets/:name')
  @Header('Cache-Control', 'public, max-age=3600')
  @Header('X-Content-Type-Options', 'nosniff')
  asset(@Param('name') name: string, @Res() response: FastifyReply): void {
    this.send(name, response);
  }

  /**
   * Browsers and other clients ask for /favicon.ico whatever the page links to (the JSON API, /docs,
   * a download): answer with the pages' icon rather than a 404 in every log and console.
   */
  @Public()
  @Get('favicon.ico')
  @Header('Cache-Control', 'public, max-age=86400')
  @Header('X-Content-Type-Options', 'nosniff')
  favicon(@Res() response: FastifyReply): void {
    this.send('favicon.svg', response);
  }

  private send(name: string, response: FastifyReply): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw notFound('asset_not_found', 'name', `no asset ${name}`);
    let body = this.cache.get(name);
    if (!body) this.cache.set(name, (body = readFileSync(asset.path())));
    response.type(asset.type).send(body);
  }
}
