import { FastifyInstance } from 'fastify';
import { CardStore } from '../cards/card-store';
import { SimulatorContext } from '../core/simulator-context';
import { StreamGateway } from '../stream/stream-gateway';
import { buildPageData, pageCard, PageCardEntry } from './page-model';
import { PAGE_HTML, PAGE_SCRIPT } from './page-assets';

/**
 * Scripts only from this origin, no inline script: even if a message body got past the markdown sanitiser, the
 * browser would not run what it injected.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; connect-src 'self'";

/**
 * The simulator's web page: every simulated group and user conversation as DingTalk would show it (markdown
 * rendered, interactive cards with their buttons), refreshed by polling `/_sim/page/data`, with a box to write to a
 * Stream bot as a staff member.
 */
/** Every delivered card, once per conversation it went to, as the page places it among the messages. */
function cardEntries(cards: CardStore): PageCardEntry[] {
  let next = 0;
  return cards.all().flatMap((card) => {
    const shown = cards.render(card);
    return card.spaces.map((space) => ({
      id: -++next,
      conversationId: space.conversationId,
      at: space.deliveredAt,
      from: card.clientId,
      card: pageCard(card, space.spaceId, shown),
    }));
  });
}

export function registerPage(
  app: FastifyInstance,
  { state }: SimulatorContext,
  stream: StreamGateway,
  cards: CardStore,
): void {
  app.get('/', (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(PAGE_HTML),
  );
  app.get('/_sim/page/app.js', (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(PAGE_SCRIPT),
  );
  app.get('/_sim/page/data', () => buildPageData(state, stream.events(), cardEntries(cards)));
}
