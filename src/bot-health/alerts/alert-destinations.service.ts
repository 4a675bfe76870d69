import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { SecretBox } from '../../common/crypto/secret-box';
import { Page } from '../../common/http/pagination.dto';
import { ValidationFailedException } from '../../common/http/validation-failed.exception';
import {
  AlertDestinationResponse,
  CreateAlertDestinationDto,
  ListAlertDestinationsQuery,
  UpdateAlertDestinationDto,
} from '../dto/alert-destination.dto';
import { ALERT_BOTS, AlertBots } from './alert-bots';
import {
  AlertDestination,
  AlertDestinationRepository,
  DestinationFields,
} from './alert-destination.repository';
import { checkWebhookUrl, maskWebhookUrl } from './alert-webhook-url';

/** The alert destinations (an admin's: the routes say so); the webhook secret is sealed and never shown. */
@Injectable()
export class AlertDestinationsService {
  constructor(
    private readonly destinations: AlertDestinationRepository,
    @Inject(ALERT_BOTS) private readonly bots: AlertBots,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  async create(request: CreateAlertDestinationDto): Promise<AlertDestinationResponse> {
    const fields = await this.checked(merge(null, request, this.secrets));
    return toResponse(await this.destinations.create(fields, new Date(this.clock.now())));
  }

  async list(query: ListAlertDestinationsQuery): Promise<Page<AlertDestinationResponse>> {
    const skip = (query.page - 1) * query.page_size;
    const { items, total } = await this.destinations.list(query.store_id, skip, query.page_size);
    return new Page(items.map(toResponse), total, query);
  }

  async get(id: number): Promise<AlertDestinationResponse> {
    const destination = await this.destinations.find(id);
    if (!destination) throw notFound(id);
    return toResponse(destination);
  }

  async update(id: number, request: UpdateAlertDestinationDto): Promise<AlertDestinationResponse> {
    const updated = await this.destinations.update(id, new Date(this.clock.now()), (current) =>
      this.checked(merge(current, request, this.secrets)),
    );
    if (!updated) throw notFound(id);
    return toResponse(updated);
  }

  async remove(id: number): Promise<{ id: number }> {
    if (!(await this.destinations.delete(id))) throw notFound(id);
    return { id };
  }

  /** The merged destination as a whole: somewhere to send, a bot that exists, a webhook with its secret. */
  private async checked(fields: DestinationFields): Promise<DestinationFields> {
    if (fields.dingtalkBotId === null && fields.webhookUrl === null) {
      throw invalid('dingtalk_bot_id', 'a destination needs dingtalk_bot_id, webhook_url or both');
    }
    if (fields.dingtalkBotId !== null) {
      const [bot] = await this.bots.botsByIds([fields.dingtalkBotId]);
      if (!bot)
        throw invalid(
          'dingtalk_bot_id',
          `dingtalk_bot_id ${fields.dingtalkBotId} is not a bot of this service`,
        );
    }
    if (fields.webhookUrl !== null) {
      const problem = checkWebhookUrl(fields.webhookUrl);
      if (problem) throw invalid('webhook_url', problem);
      if (fields.sealedWebhookSecret === null) {
        throw invalid('webhook_secret', 'webhook_secret is required with webhook_url');
      }
    }
    return fields;
  }
}

/** The destination after a request: given fields win, the rest stay; no webhook, no secret. */
function merge(
  current: AlertDestination | null,
  request: CreateAlertDestinationDto | UpdateAlertDestinationDto,
  secrets: SecretBox,
): DestinationFields {
  const webhookUrl = request.webhook_url !== undefined ? request.webhook_url : (current?.webhookUrl ?? null);
  const sealedSecret =
    request.webhook_secret !== undefined
      ? secrets.seal(request.webhook_secret)
      : (current?.sealedWebhookSecret ?? null);
  return {
    name: request.name ?? current?.name ?? '',
    storeId: request.store_id !== undefined ? request.store_id : (current?.storeId ?? null),
    dingtalkBotId:
      request.dingtalk_bot_id !== undefined ? request.dingtalk_bot_id : (current?.dingtalkBotId ?? null),
    webhookUrl,
    sealedWebhookSecret: webhookUrl === null ? null : sealedSecret,
    isEnabled: request.is_enabled ?? current?.isEnabled ?? true,
  };
}

function invalid(field: string, message: string): ValidationFailedException {
  return new ValidationFailedException([{ field, message }]);
}

function notFound(id: number): NotFoundException {
  return new NotFoundException(`Alert destination ${id} not found`);
}

function toResponse(destination: AlertDestination): AlertDestinationResponse {
  return {
    id: destination.id,
    name: destination.name,
    store_id: destination.storeId,
    dingtalk_bot_id: destination.dingtalkBotId,
    webhook_url: destination.webhookUrl === null ? null : maskWebhookUrl(destination.webhookUrl),
    has_webhook_secret: destination.sealedWebhookSecret !== null,
    is_enabled: destination.isEnabled,
    created_at: destination.createdAt.toISOString(),
    updated_at: destination.updatedAt.toISOString(),
  };
}
