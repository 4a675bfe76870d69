import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { catchError, Observable } from 'rxjs';
import { FieldError } from '../common/http/api-envelope';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AppConfig } from '../config/app-config';
import { applyBotChanges, REQUEST_FIELDS } from './bot-rules';
import { CreateDingTalkBotDto } from './dto/create-dingtalk-bot.dto';

/**
 * The rules on a whole bot (bot-rules.ts: the webhook's URL, the fields its type needs, another type's fields) run in
 * the service, which the validation pipe's 400 never reaches: a caller fixing its fields one 400 at a time met a
 * bad webhook only after every other field was right. When the pipe refuses a new bot's body, this runs the same
 * rules on the fields the pipe let through and names what they find in the same 400. Not when bot_type itself is
 * refused: which fields the bot needs is then unknown.
 */
@Injectable()
export class BotRulesOnRefusedBodyInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw this.withRuleErrors(error, context.switchToHttp().getRequest<FastifyRequest>().body);
      }),
    );
  }

  private withRuleErrors(error: unknown, body: unknown): unknown {
    if (!(error instanceof ValidationFailedException)) return error;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error;
    const refused = new Set(error.fieldErrors.map((fieldError) => fieldError.field.split(/[.[]/)[0]));
    if (refused.has('bot_type')) return error;
    const accepted: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (REQUEST_FIELDS.has(field) && !refused.has(field)) accepted[field] = value;
    }
    const more = ruleErrors(accepted, this.config.dingtalk.webhookOrigins);
    const added = more.filter((fieldError) => !refused.has(fieldError.field));
    return added.length === 0 ? error : new ValidationFailedException([...error.fieldErrors, ...added]);
  }
}

function ruleErrors(request: Partial<CreateDingTalkBotDto>, webhookOrigins: readonly string[]): FieldError[] {
  try {
    // The store does not matter to the rules; the service checks the caller's right to it.
    applyBotChanges(null, request, 0, webhookOrigins);
    return [];
  } catch (error) {
    if (error instanceof ValidationFailedException) return error.fieldErrors;
    throw error;
  }
}
