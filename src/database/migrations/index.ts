import { MigrationInterface } from 'typeorm';
import { CreateDingTalkBots1764000000000 } from './1764000000000-create-ding-talk-bots';
import { CreateMenuReportsAndNotifications1764000100000 } from './1764000100000-create-menu-reports-and-notifications';
import { CreateBotDeliveryStates1764000200000 } from './1764000200000-create-bot-delivery-states';
import { CreateStreamConnectionLeases1764000300000 } from './1764000300000-create-stream-connection-leases';
import { CreateReceivedBotMessages1764000400000 } from './1764000400000-create-received-bot-messages';
import { CreateMessageTemplates1764000500000 } from './1764000500000-create-message-templates';
import { BotDeliveryDueIndex1764000600000 } from './1764000600000-bot-delivery-due-index';
import { DailySummary1764000700000 } from './1764000700000-daily-summary';
import { ServiceInstances1764000800000 } from './1764000800000-service-instances';
import { RetentionIndexes1764000900000 } from './1764000900000-retention-indexes';
import { NotificationRemainingTargets1764001000000 } from './1764001000000-notification-remaining-targets';
import { DeliveryClaims1764002000000 } from './1764002000000-delivery-claims';
import { NotificationParts1764002100000 } from './1764002100000-notification-parts';
import { RobotRateWindows1764002200000 } from './1764002200000-robot-rate-windows';
import { DingTalkCallBudget1764002201000 } from './1764002201000-dingtalk-call-budget';
import { RecipientOutcomes1764002300000 } from './1764002300000-recipient-outcomes';
import { IdempotencyKeys1764002400000 } from './1764002400000-idempotency-keys';
import { NotificationQueuedAt1764003000000 } from './1764003000000-notification-queued-at';
import { BotKindsInCode1764003100000 } from './1764003100000-bot-kinds-in-code';
import { BotHealth1764003200000 } from './1764003200000-bot-health';
import { TestNotifications1764003300000 } from './1764003300000-test-notifications';
import { DingTalkApps1764003450000 } from './1764003450000-dingtalk-apps';
import { BotAlerts1764003500000 } from './1764003500000-bot-alerts';
import { StreamLeasesPerApp1764003600000 } from './1764003600000-stream-leases-per-app';
import { InboundRouting1764003610000 } from './1764003610000-inbound-routing';
import { AppRobotKeysByUsers1764003620000 } from './1764003620000-app-robot-keys-by-users';
import { AlertRetentionIndex1764003700000 } from './1764003700000-alert-retention-index';
import { OneBotPerGroup1764003710000 } from './1764003710000-one-bot-per-group';
import { KitchenConfirmation1764003800000 } from './1764003800000-kitchen-confirmation';
import { Cards1764003810000 } from './1764003810000-cards';
import { MintedTokens1764003820000 } from './1764003820000-minted-tokens';
import { ConfirmationSteps1764003830000 } from './1764003830000-confirmation-steps';
import { AppSharedSince1764003840000 } from './1764003840000-app-shared-since';
import { ConfirmationStepNotifications1764003850000 } from './1764003850000-confirmation-step-notifications';

/**
 * Every schema change, oldest first. Listed explicitly rather than found by a file glob, so the same list works
 * from the TypeScript sources (tests) and from dist/.
 */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateDingTalkBots1764000000000,
  CreateMenuReportsAndNotifications1764000100000,
  CreateBotDeliveryStates1764000200000,
  CreateStreamConnectionLeases1764000300000,
  CreateReceivedBotMessages1764000400000,
  CreateMessageTemplates1764000500000,
  BotDeliveryDueIndex1764000600000,
  DailySummary1764000700000,
  ServiceInstances1764000800000,
  RetentionIndexes1764000900000,
  NotificationRemainingTargets1764001000000,
  DeliveryClaims1764002000000,
  NotificationParts1764002100000,
  RobotRateWindows1764002200000,
  DingTalkCallBudget1764002201000,
  RecipientOutcomes1764002300000,
  IdempotencyKeys1764002400000,
  NotificationQueuedAt1764003000000,
  BotKindsInCode1764003100000,
  BotHealth1764003200000,
  TestNotifications1764003300000,
  DingTalkApps1764003450000,
  BotAlerts1764003500000,
  StreamLeasesPerApp1764003600000,
  InboundRouting1764003610000,
  AppRobotKeysByUsers1764003620000,
  AlertRetentionIndex1764003700000,
  OneBotPerGroup1764003710000,
  KitchenConfirmation1764003800000,
  Cards1764003810000,
  MintedTokens1764003820000,
  ConfirmationSteps1764003830000,
  AppSharedSince1764003840000,
  ConfirmationStepNotifications1764003850000,
];
