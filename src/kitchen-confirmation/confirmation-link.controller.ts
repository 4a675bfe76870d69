import { Body, Controller, Get, Header, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { RawResponse } from '../common/http/success-envelope';
import { ConfirmationLinks, LinkPage } from './confirmation-links';

/**
 * The page allows nothing but its own inline style and a form posting to itself: no script, no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `/c/<token>`: a webhook bot's confirmation button (docs/confirmation.md). Public (a kitchen's phone has no token:
 * the link's own signature is its authority).
 *
 * GET only shows what pressing would confirm, with a button: DingTalk, like every chat app, fetches links to preview
 * them, and phones' browsers prefetch, so a GET that recorded would confirm reports nobody had seen. The button posts
 * a tiny form (an optional name) to the same address, and that POST records, once (ConfirmationRecorder).
 *
 * No rate limit of its own: a forged or mistyped token costs one HMAC and no database query (refused with 400), a
 * real one is 72 random bits nobody guesses, and pressing it again changes nothing; a form's body is held to 2 KiB.
 */
@ApiExcludeController()
@Public()
@Controller('c')
export class ConfirmationLinkController {
  constructor(private readonly links: ConfirmationLinks) {}

  @Get(':token')
  @RawResponse()
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-store')
  async show(
    @Param('token') token: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return answer(reply, await this.links.show(token));
  }

  @Post(':token')
  @RawResponse()
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-store')
  async press(
    @Param('token') token: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const name =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).name : undefined;
    return answer(reply, await this.links.press(token, typeof name === 'string' ? name : null));
  }
}

function answer(reply: FastifyReply, page: LinkPage): string {
  void reply.code(page.status).type('text/html; charset=utf-8');
  return page.html;
}
