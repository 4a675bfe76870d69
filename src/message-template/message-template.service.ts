import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { canAccessStore, storeForCreate, visibleStoreIds } from '../auth/store-scope';
import { FieldError } from '../common/http/api-envelope';
import { Page, pageWindow } from '../common/http/pagination.dto';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { CreateMessageTemplateDto } from './dto/create-message-template.dto';
import { ListMessageTemplatesQuery, MessageTemplateResponse } from './dto/message-template.response';
import {
  PreviewDraftTemplateDto,
  PreviewMessageTemplateDto,
  TemplatePreviewResponse,
} from './dto/preview-message-template.dto';
import { UpdateMessageTemplateDto } from './dto/update-message-template.dto';
import { MessageTemplate } from './entities/message-template.entity';
import {
  isTemplateVariable,
  renderTemplateText,
  SummaryTemplateValues,
  TemplatePurpose,
  TemplateValues,
  unknownVariables,
  VARIABLES_BY_PURPOSE,
} from './template-variables';

const DINGTALK_MAX_BYTES = 20_000;

const notFound = (id: number) => new NotFoundException(`Message template ${id} not found`);

/**
 * Message templates. A template belongs to one store, or (store_id null, admin only) to every store;
 * store admins see their stores' templates and the shared ones, and change only their own.
 */
@Injectable()
export class MessageTemplateService {
  constructor(@InjectRepository(MessageTemplate) private readonly templates: Repository<MessageTemplate>) {}

  async create(user: AuthUser, request: CreateMessageTemplateDto): Promise<MessageTemplateResponse> {
    const storeId = this.storeForNewTemplate(user, request.store_id);
    const missing: FieldError[] = (['name', 'title', 'body'] as const)
      .filter((field) => request[field] === undefined)
      .map((field) => ({ field, message: `${field} is required` }));
    if (missing.length > 0) throw new ValidationFailedException(missing);
    const template = this.templates.create({
      name: request.name,
      storeId,
      msgType: request.msg_type ?? 'markdown',
      title: request.title,
      body: request.body,
      purpose: request.purpose ?? 'report',
    });
    checkVariables(template);
    return toResponse(await this.templates.save(template));
  }

  async list(user: AuthUser, query: ListMessageTemplatesQuery): Promise<Page<MessageTemplateResponse>> {
    const visible = visibleStoreIds(user);
    const builder = this.templates.createQueryBuilder('template');
    if (query.store_id !== undefined) {
      if (visible && !visible.includes(query.store_id)) return new Page([], 0, query);
      builder.where('(template.store_id = :store OR template.store_id IS NULL)', { store: query.store_id });
    } else if (visible) {
      builder.where(
        new Brackets((where) =>
          where.where('template.store_id IS NULL').orWhere('template.store_id IN (:...stores)', {
            stores: visible.length > 0 ? visible : [-1],
          }),
        ),
      );
    }
    const { skip, take } = pageWindow(query);
    const [rows, total] = await builder
      .orderBy('template.id', 'DESC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
    return new Page(rows.map(toResponse), total, query);
  }

  async get(user: AuthUser, id: number): Promise<MessageTemplateResponse> {
    return toResponse(await this.findVisible(user, id));
  }

  async update(
    user: AuthUser,
    id: number,
    request: UpdateMessageTemplateDto,
  ): Promise<MessageTemplateResponse> {
    const template = await this.findVisible(user, id);
    this.assertCanChange(user, template);
    const changes: FieldError[] = [];
    for (const field of ['name', 'title', 'body', 'msg_type', 'purpose'] as const) {
      if (request[field] === null) changes.push({ field, message: `${field} cannot be null` });
    }
    if (changes.length > 0) throw new ValidationFailedException(changes);
    if (request.store_id !== undefined) template.storeId = this.storeForNewTemplate(user, request.store_id);
    if (request.name !== undefined) template.name = request.name;
    if (request.msg_type !== undefined) template.msgType = request.msg_type;
    if (request.title !== undefined) template.title = request.title;
    if (request.body !== undefined) template.body = request.body;
    if (request.purpose !== undefined) template.purpose = request.purpose;
    checkVariables(template);
    return toResponse(await this.templates.save(template));
  }

  async remove(user: AuthUser, id: number): Promise<{ id: number }> {
    const template = await this.findVisible(user, id);
    this.assertCanChange(user, template);
    // Bots using it fall back to the built-in message (ON DELETE SET NULL).
    await this.templates.delete({ id });
    return { id };
  }

  async preview(
    user: AuthUser,
    id: number,
    request: PreviewMessageTemplateDto,
  ): Promise<TemplatePreviewResponse> {
    const template = await this.findVisible(user, id);
    return previewOf(template, previewValues(template.purpose, request.values));
  }

  /**
   * A template not saved yet, rendered as a saved one would be (the console's live preview while editing): the
   * same checks of its variables as saving, then the same rendering.
   */
  previewDraft(request: PreviewDraftTemplateDto): TemplatePreviewResponse {
    const draft = {
      msgType: request.msg_type ?? 'markdown',
      title: request.title,
      body: request.body,
      purpose: request.purpose ?? 'report',
    };
    checkVariables(draft);
    return previewOf(draft, previewValues(draft.purpose, request.values));
  }

  private async findVisible(user: AuthUser, id: number): Promise<MessageTemplate> {
    const template = await this.templates.findOneBy({ id });
    if (!template || (template.storeId !== null && !canAccessStore(user, template.storeId)))
      throw notFound(id);
    return template;
  }

  private assertCanChange(user: AuthUser, template: MessageTemplate): void {
    if (template.storeId === null && user.role !== 'admin') {
      throw new ForbiddenException('Templates shared by every store are managed by an admin');
    }
  }

  private storeForNewTemplate(user: AuthUser, storeId: number | null | undefined): number | null {
    if (storeId === null) {
      if (user.role !== 'admin')
        throw new ForbiddenException('Only an admin makes a template for every store');
      return null;
    }
    return storeForCreate(user, storeId);
  }
}

/** An unknown variable (of the template's purpose) is a 400 when saving, naming the field and the variable. */
function checkVariables(template: Pick<MessageTemplate, 'title' | 'body' | 'purpose'>): void {
  const errors: FieldError[] = [];
  for (const field of ['title', 'body'] as const) {
    const unknown = unknownVariables(template[field], template.purpose);
    if (unknown.length > 0) {
      errors.push({
        field,
        message: `unknown variable ${unknown.map((name) => `{{${name}}}`).join(', ')}; known: ${Object.keys(VARIABLES_BY_PURPOSE[template.purpose]).join(', ')}`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
}

/** The sample values of `purpose`, with the given ones on top; a value for an unknown variable is a 400. */
function previewValues(
  purpose: TemplatePurpose,
  given: Record<string, unknown> | undefined,
): Record<string, string> {
  const values: Record<string, string> = { ...VARIABLES_BY_PURPOSE[purpose] };
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!isTemplateVariable(name, purpose))
      errors.push({ field: `values.${name}`, message: `${name} is not a template variable` });
    else if (typeof value !== 'string' && typeof value !== 'number') {
      errors.push({ field: `values.${name}`, message: `${name} must be a string or a number` });
    } else values[name] = String(value);
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return values;
}

export function previewOf(
  template: Pick<MessageTemplate, 'msgType' | 'title' | 'body' | 'purpose'>,
  values: TemplateValues | SummaryTemplateValues,
): TemplatePreviewResponse {
  const text = renderTemplateText(template.body, values, template.purpose);
  const byteSize = Buffer.byteLength(text, 'utf8');
  return {
    msg_type: template.msgType,
    title: renderTemplateText(template.title, values, template.purpose),
    text,
    byte_size: byteSize,
    over_limit: byteSize > DINGTALK_MAX_BYTES,
  };
}

function toResponse(template: MessageTemplate): MessageTemplateResponse {
  return {
    id: template.id,
    name: template.name,
    store_id: template.storeId,
    msg_type: template.msgType,
    title: template.title,
    body: template.body,
    purpose: template.purpose,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}
