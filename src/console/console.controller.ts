import { Controller, Get, Header, HttpStatus, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { RawResponse } from '../common/http/success-envelope';
import { ConsoleAssets } from './console-assets';

/**
 * The page may run only its own script and style, and talk only to this origin (the API): a message text that slipped
 * past escaping still could not load or send anything. No framing (clickjacking of the resend button).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>运维控制台 · Console</title>
<p>控制台尚未构建：请运行 <code>npm run build</code>（或 <code>npm start</code>）。</p>
<p>The console is not built: run <code>npm run build</code> (or <code>npm start</code>).</p>`;

/**
 * `/console`: the operations console, a page of static files that uses the public API with the token its user signs
 * in with (docs/console.md). The files themselves need no token: they hold no data.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  @RawResponse()
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer | string {
    return (
      this.send(reply, 'index.html') ??
      (reply.code(HttpStatus.SERVICE_UNAVAILABLE).type('text/html'), NOT_BUILT)
    );
  }

  @Get(':file')
  @RawResponse()
  @Header('x-content-type-options', 'nosniff')
  file(@Param('file') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer | string {
    return this.send(reply, name) ?? (reply.code(HttpStatus.NOT_FOUND).type('text/plain'), 'Not found');
  }

  private send(reply: FastifyReply, name: string): Buffer | undefined {
    const file = this.assets.get(name);
    if (!file) return undefined;
    // The page is small and changes with each build: the browser asks again each time (a 304 when unchanged).
    void reply.type(file.contentType).header('cache-control', 'no-cache');
    return file.body;
  }
}
