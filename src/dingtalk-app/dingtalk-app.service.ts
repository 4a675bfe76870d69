import { createHash, timingSafeEqual } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { FieldError } from '../common/http/api-envelope';
import { Page, PageQueryDto, pageWindow } from '../common/http/pagination.dto';
import { ValidationFailedException } from '../common/http/validation-failed.exception';
import { AppCredentials } from '../dingtalk/app-credentials';
import { AppEvent, AppEvents } from '../events/app-events';
import { APP_BOTS, AppBots } from './app-bots';
import { DingTalkAppRepository } from './dingtalk-app.repository';
import { CreateDingTalkAppDto } from './dto/create-dingtalk-app.dto';
import { DingTalkAppResponse } from './dto/dingtalk-app.response';
import { UpdateDingTalkAppDto } from './dto/update-dingtalk-app.dto';
import { DingTalkApp } from './entities/dingtalk-app.entity';

/** ON DELETE RESTRICT answers restrict_violation (23001); NO ACTION would answer foreign_key_violation (23503). */
const STILL_REFERENCED = ['23001', '23503'];

const APP_NAME_MAX = 100;

/** An app named inline on a stream bot (client_id and client_secret, as before apps were a resource). */
export interface InlineApp {
  clientId: string;
  clientSecret: string;
  agentId: string | null;
}

/**
 * The chain's DingTalk apps: added, renamed, given a new secret and deleted by an admin; listed (without secrets) for
 * anyone who sets up a stream bot. Bots reach an app through `app_id`, or inline by its credentials (findOrAdd).
 */
@Injectable()
export class DingTalkAppService {
  constructor(
    private readonly apps: DingTalkAppRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly events: AppEvents,
    @Inject(APP_BOTS) private readonly bots: AppBots,
  ) {}

  async create(request: CreateDingTalkAppDto): Promise<DingTalkAppResponse> {
    const created = await this.apps.insertIfAbsent(this.dataSource.manager, {
      name: request.name,
      clientId: request.client_id,
      sealedClientSecret: this.secrets.seal(request.client_secret),
      agentId: request.agent_id,
    });
    if (!created) {
      const existing = await this.apps.findByClientId(this.dataSource.manager, request.client_id);
      throw new ConflictException(
        `App ${existing?.id ?? '?'} has this client_id already: change that one (PUT /api/v1/dingtalk-apps/${existing?.id ?? ':id'})`,
      );
    }
    return toResponse(created);
  }

  async list(query: PageQueryDto): Promise<Page<DingTalkAppResponse>> {
    const { skip, take } = pageWindow(query);
    const [rows, total] = await this.apps.page(skip, take);
    return new Page(rows.map(toResponse), total, query);
  }

  async get(id: number): Promise<DingTalkAppResponse> {
    return toResponse(await this.findOrFail(id));
  }

  /**
   * A new name, secret or AgentId, for every bot of the app at once: in the same transaction each bot gets a new
   * version (so that no instance keeps sending with the old secret), and after it the app's Stream connection is
   * made again with the new credentials (the AppUpdated event).
   */
  async update(id: number, request: UpdateDingTalkAppDto): Promise<DingTalkAppResponse> {
    const { saved, changed, bots } = await this.dataSource.transaction(async (manager) => {
      const app = await this.apps.findForUpdate(manager, id);
      if (!app) throw appNotFound(id);
      const changed: string[] = [];
      if (request.name !== undefined && request.name !== app.name) {
        app.name = request.name;
        changed.push('name');
      }
      if (request.agent_id !== undefined && request.agent_id !== app.agentId) {
        app.agentId = request.agent_id;
        changed.push('agentId');
      }
      if (request.client_secret !== undefined && !this.secretMatches(app, request.client_secret)) {
        app.sealedClientSecret = this.secrets.seal(request.client_secret);
        changed.push('clientSecret');
      }
      if (changed.length === 0) return { saved: app, changed, bots: [] };
      const saved = await this.apps.save(manager, app);
      const bots = await this.bots.followApp(manager, saved);
      return { saved, changed, bots };
    });
    if (changed.length > 0) await this.events.emit(AppEvent.AppUpdated, { appId: id, changed, bots });
    return toResponse(saved);
  }

  /** Only an app no bot uses: the foreign key refuses the others, whoever adds a bot meanwhile. */
  async remove(id: number): Promise<{ id: number }> {
    await this.findOrFail(id);
    try {
      await this.apps.delete(id);
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : null;
      if (code && STILL_REFERENCED.includes(code)) {
        throw new ConflictException(
          `App ${id} is used by stream bots: point them at another app (app_id) or delete them first`,
        );
      }
      throw error;
    }
    return { id };
  }

  /** The app `id` for a bot: null when there is none. */
  find(id: number, manager?: EntityManager): Promise<DingTalkApp | null> {
    return this.apps.find(id, manager);
  }

  /**
   * In the transaction that attaches a bot of store `storeId` to app `appId`: records the app's first store, or that
   * it is shared from now on when the store is another (then true). A shared app's only bot without a group takes no
   * group's messages (docs/dingtalk-apps.md).
   */
  markAttached(manager: EntityManager, appId: number, storeId: number): Promise<boolean> {
    return this.apps.markAttached(manager, appId, storeId);
  }

  /** The apps of a page of bots, by id. */
  byIds(ids: readonly number[]): Promise<Map<number, DingTalkApp>> {
    return this.apps.byIds(ids);
  }

  /** An app's credentials with its secret opened, for the modules that connect and send as it. */
  credentials(app: Pick<DingTalkApp, 'clientId' | 'sealedClientSecret' | 'agentId'>): AppCredentials {
    return {
      clientId: app.clientId,
      clientSecret: this.secrets.open(app.sealedClientSecret),
      agentId: app.agentId,
    };
  }

  /**
   * The app a stream bot names inline (client_id and client_secret), in the bot's transaction: the app of that
   * client_id if the secret is its own, else a 400 on client_secret that tells nothing of the app but that the pair
   * does not match (an app's client_id is listed to every store admin; its secret never is); a new app when
   * DingTalk's client_id is new here and the caller is an admin (apps are added by admins: a store admin's inline
   * credentials only find one). Changing an app's secret is an admin's update of the app, never a bot's.
   */
  async findOrAdd(manager: EntityManager, wanted: InlineApp, caller: AuthUser): Promise<DingTalkApp> {
    const existing = await this.apps.findByClientId(manager, wanted.clientId);
    if (existing) return this.matching(existing, wanted);
    if (caller.role !== 'admin') {
      throw new ForbiddenException(
        'No DingTalk app has this client_id: an admin must add the app first (POST /api/v1/dingtalk-apps), ' +
          'then choose it by app_id',
      );
    }
    if (wanted.agentId === null) {
      throw new ValidationFailedException([
        { field: 'agent_id', message: 'agent_id (AgentId) is required to add a new app with this client_id' },
      ]);
    }
    const added = await this.apps.insertIfAbsent(manager, {
      // Named after its client_id (up to 128 characters) until an admin renames it; a name holds 100.
      name: wanted.clientId.slice(0, APP_NAME_MAX),
      clientId: wanted.clientId,
      sealedClientSecret: this.secrets.seal(wanted.clientSecret),
      agentId: wanted.agentId,
    });
    // Another request added the app between the two statements: it must match as any existing one.
    return (
      added ??
      this.matching(await manager.findOneByOrFail(DingTalkApp, { clientId: wanted.clientId }), wanted)
    );
  }

  private matching(app: DingTalkApp, wanted: InlineApp): DingTalkApp {
    const errors: FieldError[] = [];
    if (!this.secretMatches(app, wanted.clientSecret)) {
      errors.push({
        field: 'client_secret',
        message:
          'client_secret is not the secret of the app with this client_id: choose the app by app_id (GET /api/v1/dingtalk-apps), ' +
          'or ask an admin to update its secret',
      });
    }
    if (wanted.agentId !== null && wanted.agentId !== app.agentId) {
      errors.push({
        field: 'agent_id',
        message:
          'agent_id is not the AgentId of the app with this client_id: leave it out, or ask an admin to update it',
      });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    return app;
  }

  /** Compared as hashes in constant time, so the answer's timing says nothing about the stored secret. */
  private secretMatches(app: DingTalkApp, secret: string): boolean {
    const digest = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(this.secrets.open(app.sealedClientSecret)), digest(secret));
  }

  private async findOrFail(id: number): Promise<DingTalkApp> {
    const app = await this.apps.find(id);
    if (!app) throw appNotFound(id);
    return app;
  }
}

export function appNotFound(id: number): NotFoundException {
  return new NotFoundException(`DingTalk app ${id} not found`);
}

function toResponse(app: DingTalkApp): DingTalkAppResponse {
  return {
    id: app.id,
    name: app.name,
    client_id: app.clientId,
    agent_id: app.agentId,
    has_client_secret: true,
    created_at: app.createdAt.toISOString(),
    updated_at: app.updatedAt.toISOString(),
  };
}
