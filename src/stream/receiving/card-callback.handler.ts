import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { DingTalkAppService } from '../../dingtalk-app/dingtalk-app.service';
import { AppCredentials } from '../../dingtalk/app-credentials';
import { CardClient } from '../../dingtalk/card.client';
import { UserDirectoryClient } from '../../dingtalk/user-directory.client';
import { ConfirmationRecorder, ConfirmationState } from '../../kitchen-confirmation/confirmation-recorder';
import { ConfirmationRefused } from '../../kitchen-confirmation/confirmation-state';
import { timeOfDayIn } from '../../notify/messages/message-text';
import { InFlightCallbacks } from './in-flight-callbacks';
import { StreamCallback, StreamCallbackHandler } from '../stream-callback';
import { CardClick, notificationIdOf, parseCardClick } from './card-click';
import { CardClicksRepository } from './card-clicks.repository';

/** How long to wait before each further try of a card update DingTalk did not take (then it is logged). */
const UPDATE_RETRY_WAITS_MS = [1_000, 5_000];

/**
 * A staff member pressed a button of one of the service's cards (docs/dingtalk/cards.md, Callbacks; the card is
 * a notification, its outTrackId `notification-<id>`). The press is recorded once through the kitchen confirmation's
 * recorder (its dedupe key is the card, the user and the action: a redelivered frame, the same press reaching two
 * instances, or two cards counted once), then the frame is ACKed (ACKED_WHEN_HANDLED: a crash or a database failure
 * before the commit leaves it unACKed, and DingTalk's redelivery records it), and the card is updated for everyone
 * in the group with who confirmed and when (`已确认 · 张师傅 · 10:42`). A frame that can never be recorded
 * (malformed, not one of the app's cards, a button the card does not offer) is ACKed too: its redelivery would
 * change nothing.
 *
 * The name is the nick DingTalk last gave that user in a message to the app's robot, else the organisation's
 * address book (topapi/v2/user/get), else the userid. A card update DingTalk does not take is tried again a few
 * times, then logged with its reason: the press stays recorded either way (and the next press of that card, or its
 * redelivery, updates it again). Nothing thrown here reaches the connection; a press not recorded is not ACKed.
 */
@Injectable()
export class CardCallbackHandler implements StreamCallbackHandler, BeforeApplicationShutdown {
  private readonly logger = new Logger(CardCallbackHandler.name);
  /** Presses being handled: shutdown lets them finish before the database closes. */
  private readonly inFlight = new InFlightCallbacks(this.logger, 'Card click');

  constructor(
    private readonly clicks: CardClicksRepository,
    private readonly recorder: ConfirmationRecorder,
    private readonly apps: DingTalkAppService,
    private readonly cards: CardClient,
    private readonly directory: UserDirectoryClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  handle(callback: StreamCallback): Promise<void> {
    return this.inFlight.run(callback, this.process(callback));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.inFlight.settled();
  }

  private async process(callback: StreamCallback): Promise<void> {
    const at = `app_id=${callback.appId} message_id=${callback.messageId}`;
    const ack = () => callback.ack?.();
    const parsed = parseCardClick(callback.data);
    if (!parsed.ok) {
      this.logger.warn(`Ignored a malformed card callback ${at}: ${parsed.problem}`);
      return ack();
    }
    const click = parsed.click;
    const notificationId = notificationIdOf(click.outTrackId);
    // Not one of this app's cards (another system's card of the same app, a deleted notification): ACKed, so
    // DingTalk does not send it again; said once here.
    if (notificationId === null || !(await this.clicks.cardOfApp(notificationId, callback.appId))) {
      this.logger.warn(`Ignored a click on an unknown card ${at} out_track_id=${click.outTrackId}`);
      return ack();
    }
    const app = await this.appCredentials(callback.appId);
    if (!app) {
      this.logger.warn(`Ignored a card click for an app that is gone ${at}`);
      return ack();
    }
    const userName = await this.nameOf(app, click.userId);
    let state: ConfirmationState;
    try {
      const recorded = await this.recorder.record({
        notificationId,
        action: click.action,
        userId: click.userId,
        userName,
        via: 'card',
        dedupeKey: `card:${click.outTrackId}:${click.userId}:${click.action}`,
      });
      state = recorded.state;
      ack();
      this.logger.log(
        `Card click notification_id=${notificationId} action=${click.action} user_id=${click.userId} ` +
          `recorded=${recorded.recorded} ${at}`,
      );
    } catch (error) {
      if (!(error instanceof ConfirmationRefused)) throw error;
      this.logger.warn(`Card click not recorded notification_id=${notificationId} ${at}: ${error.message}`);
      return ack();
    }
    await this.showOnCard(app, click, state);
  }

  /**
   * The card as everyone sees it from now on: its buttons follow `status` (the furthest action taken), and the line
   * says who took it and when, in the reports' time zone. Written from the recorded state, not from this press: a
   * later press of an earlier button, or a redelivery, shows what is recorded. Each try reads the state again just
   * before it, so that of two presses handled at once (收到 and 已备好), the update sent last carries the furthest.
   */
  private async showOnCard(
    app: AppCredentials,
    click: CardClick,
    recorded: ConfirmationState,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = (await this.recorder.stateOf(recorded.notificationId)) ?? recorded;
      if (latest.status !== 'confirmed' || latest.action === null) return;
      const who = latest.byName ?? latest.byUserId ?? click.userId;
      const when = latest.at ? ` · ${timeOfDayIn(latest.at, this.config.reportTimeZone)}` : '';
      const update = { status: latest.action, confirmed_text: `已确认 · ${who}${when}` };
      const outcome = await this.cards.update(app, click.outTrackId, update);
      if (outcome.kind === 'ok') return;
      const wait = UPDATE_RETRY_WAITS_MS[attempt];
      if (outcome.kind === 'permanent' || wait === undefined) {
        this.logger.warn(
          `Card not updated out_track_id=${click.outTrackId} after ${attempt + 1} tries: ` +
            `${outcome.errcode ?? '-'} ${outcome.errmsg}${outcome.hint ? ` (${outcome.hint})` : ''}; the press is recorded`,
        );
        return;
      }
      await this.clock.sleep(wait);
    }
  }

  /** Who the group knows the user as: their last nick in the app's messages, else the address book, else null. */
  private async nameOf(app: AppCredentials, userId: string): Promise<string | null> {
    const nick = await this.clicks.lastNick(app.clientId, userId);
    if (nick) return nick;
    // A name is a nicety: a lookup that throws (the app's token not to be had) must not keep the press from being
    // recorded (and ACKed), or every redelivery would fail the same way.
    const looked = await this.directory.userName(app, userId).catch((error: unknown) => {
      this.logger.debug(
        `No name for user_id=${userId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    });
    if (looked === null) return null;
    if (looked.name === null && looked.outcome.kind !== 'ok') {
      this.logger.debug(`No name for user_id=${userId}: ${looked.outcome.errmsg}`);
    }
    return looked.name;
  }

  private async appCredentials(appId: number): Promise<AppCredentials | null> {
    const app = await this.apps.find(appId);
    return app && this.apps.credentials(app);
  }
}
