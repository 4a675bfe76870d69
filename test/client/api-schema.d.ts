// Generated from /docs-json by openapi-typescript (test/e2e/openapi-contract.e2e-spec.ts). Do not edit:
// run `npm run api:types` after changing the API.
export interface paths {
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the bearer token says you are, and which stores you manage */
        get: operations["AuthController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The store admin tokens made here, newest first (admin)
         * @description Their records, never the tokens. Records of tokens that expired more than RETENTION_DAYS ago are deleted by the retention job.
         */
        get: operations["AuthController_listTokens"];
        put?: never;
        /**
         * Make a store admin's token (admin)
         * @description A bearer token with role store_admin for the chosen stores, valid for `expires_in_seconds` but never past the expiry of the admin's own token (`expiry_capped` says when it was shortened). The token is answered this once; its record (`jti`, stores, expiry, who minted it) is kept, listed by GET /auth/tokens and revoked by DELETE /auth/tokens/{jti}. Admin tokens are made with `npm run token` only.
         */
        post: operations["AuthController_mintToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/{jti}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a store admin token (admin)
         * @description From now on the token is answered 401 "This token was revoked: ask an admin for a new one": at once by the instance that answers this, within about two seconds by every other. Revoking a revoked token answers its record again (the first revocation stays); a jti that was never minted here, or whose record was deleted long after it expired, is a 404.
         */
        delete: operations["AuthController_revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics (text exposition format)
         * @description No token needed. Delivery counters and durations, the queue, Stream connections, the process.
         */
        get: operations["MetricsController_metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Is the service up? 200 while the database answers a query, 503 when it does not
         * @description No token needed. Not wrapped in the envelope, so load balancers can read it as it is. The database is asked `SELECT 1` with a deadline of a few seconds: a pool that has reconnected but cannot run a query yet is down.
         */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stream/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream connections of the stream bots you can see, across every instance
         * @description An admin sees every stream bot; a store_admin the bots of the stores it manages. Every instance answers for the whole cluster: which instance holds each bot, its state and since when, and the live instances with their last heartbeat.
         */
        get: operations["StreamStatusController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/message-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the templates your stores may use (their own and the shared ones), newest first */
        get: operations["MessageTemplateController_list"];
        put?: never;
        /**
         * Create a template
         * @description store_id null makes it usable by every store (admin only). Unknown {{variables}} are a 400.
         */
        post: operations["MessageTemplateController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/message-templates/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Render a template that is not saved yet, and its size in bytes
         * @description For a live preview while writing one: the variables are checked as when saving, then it is rendered as `POST /message-templates/{id}/preview` renders a saved one. Nothing is stored.
         */
        post: operations["MessageTemplateController_previewDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/message-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One template */
        get: operations["MessageTemplateController_get"];
        /** Change any subset of a template’s fields */
        put: operations["MessageTemplateController_update"];
        post?: never;
        /** Delete a template; bots using it go back to the built-in message */
        delete: operations["MessageTemplateController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/message-templates/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render the template with sample or given values, and its size in bytes */
        post: operations["MessageTemplateController_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the DingTalk apps, oldest first
         * @description Every app, for anyone who sets up a stream bot (to choose its `app_id`); never a secret.
         */
        get: operations["DingTalkAppController_list"];
        put?: never;
        /**
         * Add a DingTalk app (admin)
         * @description A chain's enterprise internal app, set up once in DingTalk's developer console with its robot in every store's group; any number of stream bots use it (`app_id`). The secret is write-only.
         */
        post: operations["DingTalkAppController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-apps/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One DingTalk app */
        get: operations["DingTalkAppController_get"];
        /**
         * Rename an app, or give it its new secret or AgentId (admin)
         * @description One update for every bot of the app: its Stream connection reconnects with the new secret, and every instance sends with it from its next message on. `client_id` cannot change: another AppKey is another app.
         */
        put: operations["DingTalkAppController_update"];
        post?: never;
        /** Delete an app no bot uses (admin) */
        delete: operations["DingTalkAppController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the bots of the stores you manage, newest first */
        get: operations["DingTalkBotController_list"];
        put?: never;
        /**
         * Register a bot
         * @description webhook bots need `webhook` (and optionally `secret`). A stream bot belongs to a DingTalk app, one for the whole chain (docs/dingtalk-apps.md): give its `app_id`, or its `client_id` and `client_secret` (and `agent_id` for an app not added yet), which find the app (the secret must be its own) or, for an admin only, add it. Each store's bot keeps its own targets: `open_conversation_id` is the store's group. An enabled stream bot's app connects at once.
         */
        post: operations["DingTalkBotController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One bot */
        get: operations["DingTalkBotController_get"];
        /**
         * Change any subset of a bot’s fields
         * @description The merged bot is validated as a whole. Switching `bot_type` clears the settings of the other type. Disabling, deleting, switching type or another `app_id` starts or stops the app's stream connection as needed. An app's secret is the app's: an admin changes it with PUT /api/v1/dingtalk-apps/:id.
         */
        put: operations["DingTalkBotController_update"];
        post?: never;
        /** Delete a bot */
        delete: operations["DingTalkBotController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test message now
         * @description Answers whether DingTalk accepted it and, if not, what to fix (`hint`). The test message counts in the bot's rate window like any other: a bot at its `rate_limit_per_minute`, or paused after DingTalk throttled it, answers 429 with a `Retry-After` header (seconds) instead of sending.
         */
        post: operations["DingTalkBotController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connection and delivery state of a bot */
        get: operations["DingTalkBotController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots/batch-send": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one message to several bots
         * @description To `bot_ids`, or to every enabled bot of `store_id`: one notification per bot, delivered by the queue (rate limits, retries, delivery log). Disabled bots and stream bots without a target are skipped, with the reason. With an `Idempotency-Key`, a retry of the same request answers the first result again and sends nothing twice.
         */
        post: operations["BatchSendController_send"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log of the stores you manage, newest first */
        get: operations["NotificationsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One notification, with every attempt to send it */
        get: operations["NotificationsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue a notification again
         * @description Due at once, with a fresh retry schedule; the attempts so far stay in its log. A test message (kind `test`) is not resent: press the test button again.
         */
        post: operations["NotificationsController_resend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu-reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the reports of the stores you manage, newest first */
        get: operations["MenuReportController_list"];
        put?: never;
        /**
         * Report a dish (报菜)
         * @description Stores the report and one notification per enabled bot of its store in one transaction: once this answers 201, every notification will be delivered, whatever happens next. With an `Idempotency-Key`, a retry of the same request answers the first report again instead of creating another. A store without an enabled bot gets its report stored all the same, with no notifications and a sentence in `warnings`.
         */
        post: operations["MenuReportController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/menu-reports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One report, with its notifications */
        get: operations["MenuReportController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dingtalk-bots/{id}/daily-summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Preview the daily summary of a bot
         * @description The message the bot gets (or would get) at its daily_summary_at for a day's reports of its store: the built-in one, or its template when that is a daily_summary template. Nothing is sent.
         */
        get: operations["DailySummaryController_preview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bot-health/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How bot health is judged and alerted (docs/bot-health.md) */
        get: operations["BotHealthSettingsController_get"];
        /**
         * Change how bot health is judged and alerted (admin)
         * @description Any subset of the settings; they apply to every bot of every store, on every instance.
         */
        put: operations["BotHealthSettingsController_update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alert-destinations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the alert destinations, newest first (admin) */
        get: operations["AlertDestinationsController_list"];
        put?: never;
        /**
         * Send bot alerts somewhere (admin)
         * @description When a bot breaks, and when it recovers, an alert goes to the chain's destinations (store_id null) and its store's: a bot of this service, an HTTPS webhook (signed), or both (docs/bot-health.md).
         */
        post: operations["AlertDestinationsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alert-destinations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One alert destination (admin) */
        get: operations["AlertDestinationsController_get"];
        /** Change any subset of an alert destination’s fields (admin) */
        put: operations["AlertDestinationsController_update"];
        post?: never;
        /** Delete an alert destination (admin) */
        delete: operations["AlertDestinationsController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bot-alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The alerts sent about bots of the stores you manage, newest first
         * @description A bot broke, recovered, or was still broken (the reminder): docs/bot-health.md, Alerts.
         */
        get: operations["BotAlertsController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores/{store_id}/confirmation-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A store's kitchen confirmation: buttons, reminder and escalation (docs/confirmation.md)
         * @description A store that never set them answers the defaults: off, buttons 收到 and 已备好, no deadlines.
         */
        get: operations["ConfirmationSettingsController_get"];
        /**
         * Change a store's kitchen confirmation
         * @description Any subset of the settings; the others stay. They apply to the store's reports written from now on (a report keeps its deadlines; its reminder's mentions and its escalation's bot are read when they go).
         */
        put: operations["ConfirmationSettingsController_update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stores": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every store you manage at a glance: bots, backlog, today’s sent and failed
         * @description The stores that have a bot or a notification (an admin: every such store; a store admin: its own). Those needing a look first: most failed today, then the largest backlog, then by store_id. "Today" is the stores’ day in REPORT_TIMEZONE, counted by when a notification was made.
         */
        get: operations["StoreOverviewController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        FieldErrorDoc: {
            /** @example quantity */
            field: string;
            /** @example quantity must be a number */
            message: string;
        };
        ErrorEnvelopeDoc: {
            /**
             * @description Non-zero. For generic errors it equals the HTTP status.
             * @example 404
             */
            code: number;
            /** @example DingTalk bot 42 not found */
            msg: string;
            /** @description With a 400: one entry per wrong field */
            errors?: components["schemas"]["FieldErrorDoc"][];
            /** @example 5f0c2a4e-1f3b-4f7e-9d1c-2b8f0e6a7c11 */
            request_id: string;
        };
        WhoAmIResponse: {
            /** @example ops@chain.example */
            sub: string;
            /**
             * @example store_admin
             * @enum {string}
             */
            role: "admin" | "store_admin";
            /**
             * @description Empty for an admin, who sees every store
             * @example [
             *       1,
             *       2
             *     ]
             */
            store_ids: number[];
        };
        MintedTokenResponse: {
            /**
             * @description The bearer token: give it to the store admin over a private channel. It is shown this once: only its record (jti, stores, expiry) is stored
             * @example eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdG9yZS0zLW1hbmFnZXIiLCJyb2xlIjoic3RvcmVfYWRtaW4ifQ.c2ln
             */
            token: string;
            /**
             * Format: uuid
             * @description The token's id (its `jti` claim): what the list shows and what revoking it names
             * @example 0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f
             */
            jti: string;
            /** @example store-3-manager */
            sub: string;
            /**
             * @example store_admin
             * @enum {string}
             */
            role: "store_admin";
            /**
             * @example [
             *       3,
             *       4
             *     ]
             */
            store_ids: number[];
            /**
             * @description When the token stops working
             * @example 2026-12-14T08:00:00.000Z
             */
            expires_at: string;
            /**
             * @description True when `expires_in_seconds` would have outlived the minting admin's own token: `expires_at` is then that token's expiry instead
             * @example false
             */
            expiry_capped: boolean;
        };
        MintStoreAdminTokenDto: {
            /**
             * @description Who the token is for: the token's `sub`, and the `reported_by` of the reports made with it
             * @example store-3-manager
             */
            sub: string;
            /**
             * @description The stores the token may see and change
             * @example [
             *       3,
             *       4
             *     ]
             */
            store_ids: number[];
            /**
             * @description How long the token is valid, in seconds (60 s to 365 days), but never past the expiry of the token that mints it (then `expires_at` is earlier and `expiry_capped` true). It can be revoked before then (DELETE /auth/tokens/{jti}); still, choose the shortest that serves
             * @example 604800
             */
            expires_in_seconds: number;
        };
        MintedTokenRecordResponse: {
            /**
             * Format: uuid
             * @example 0b6f6f3e-2d5c-4d8e-9f3a-6c1b2a4d5e6f
             */
            jti: string;
            /**
             * @description Who the token is for
             * @example store-3-manager
             */
            sub: string;
            /**
             * @example [
             *       3,
             *       4
             *     ]
             */
            store_ids: number[];
            /**
             * @example active
             * @enum {string}
             */
            status: "active" | "revoked" | "expired";
            /**
             * @description The admin (`sub`) who minted it
             * @example hq-ops
             */
            minted_by: string;
            /** @example 2026-12-07T08:00:00.000Z */
            created_at: string;
            /** @example 2026-12-14T08:00:00.000Z */
            expires_at: string;
            /** @example null */
            revoked_at: string | null;
            /**
             * @description The admin (`sub`) who revoked it
             * @example null
             */
            revoked_by: string | null;
        };
        StreamHealth: {
            /** @example 2 */
            connected: number;
            /** @example 2 */
            total: number;
        };
        HealthResponse: {
            /**
             * @example ok
             * @enum {string}
             */
            status: "ok" | "error";
            /**
             * @example up
             * @enum {string}
             */
            db: "up" | "down";
            stream: components["schemas"]["StreamHealth"];
        };
        ServiceInstanceResponse: {
            /** @example notify-2-4f1a9c */
            instance_id: string;
            /** @example 2026-12-01T07:59:50.000Z */
            started_at: string;
            /** @example 2026-12-01T08:10:00.000Z */
            last_heartbeat_at: string;
            /**
             * @description Apps listed below whose connection this instance holds
             * @example 1
             */
            app_count: number;
        };
        StreamAppBotResponse: {
            /** @example 3 */
            bot_id: number;
            /** @example 1 */
            store_id: number;
            /** @example 一号店报菜机器人 */
            name: string;
            is_enabled: boolean;
            /**
             * @description The store's group: messages written there are this bot's
             * @example cidStore1Kitchen==
             */
            open_conversation_id: string | null;
        };
        StreamAppStatusResponse: {
            /** @example 1 */
            app_id: number;
            /** @example 连锁门店报菜应用 */
            name: string;
            /** @example dingxxxxxxxxxxxx */
            client_id: string;
            /**
             * @description The instance that holds the connection; null when none does (no enabled bot, or its instance died)
             * @example notify-2-4f1a9c
             */
            instance_id: string | null;
            /**
             * @description When that instance took the app
             * @example 2026-12-01T07:59:58.000Z
             */
            held_since: string | null;
            /**
             * @description disconnected for an app without an enabled bot, or one that no live instance holds
             * @enum {string}
             */
            connection_status: "connected" | "connecting" | "reconnecting" | "disconnected" | "auth_failed";
            /**
             * @description Since when connection_status has its current value
             * @example 2026-12-01T08:00:00.000Z
             */
            status_since: string | null;
            /** @example 2026-12-01T08:00:00.000Z */
            connected_since: string | null;
            /** @example null */
            last_message_time: string | null;
            /** @example null */
            last_error: string | null;
            /** @example 0 */
            reconnect_count: number;
            /** @description The app's stream bots the caller may see (a store admin: its stores' only), by id */
            bots: components["schemas"]["StreamAppBotResponse"][];
        };
        StreamStatusResponse: {
            /** @description The answering instance's connection layer is started (false while shutting down) */
            running: boolean;
            /**
             * @description The instance that answered
             * @example notify-2-4f1a9c
             */
            instance_id: string;
            /**
             * @description Apps listed below: one connection each at most
             * @example 1
             */
            app_count: number;
            /**
             * @description Of those, connected on some instance
             * @example 1
             */
            connected_count: number;
            /**
             * @description Stream bots listed under the apps (enabled or not)
             * @example 3
             */
            bot_count: number;
            /** @description Instances with a heartbeat in the last 30 s, oldest first */
            instances: components["schemas"]["ServiceInstanceResponse"][];
            apps: components["schemas"]["StreamAppStatusResponse"][];
        };
        MessageTemplateResponse: {
            /** @example 1 */
            id: number;
            /** @example 厨房群简报 */
            name: string;
            /**
             * @description null: every store
             * @example 1
             */
            store_id: number | null;
            /** @enum {string} */
            msg_type: "text" | "markdown";
            /** @example 报菜：{{dish_name}} {{quantity}}{{unit}} */
            title: string;
            /** @example #### {{dish_name}} × {{quantity}}{{unit}} */
            body: string;
            /**
             * @example report
             * @enum {string}
             */
            purpose: "report" | "daily_summary";
            created_at: string;
            updated_at: string;
        };
        CreateMessageTemplateDto: {
            /** @example 厨房群简报 */
            name: string;
            /**
             * @description The store whose bots may use it; null: every store (admin only). Optional for a store_admin with one store.
             * @example 1
             */
            store_id?: number | null;
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /** @example 报菜：{{dish_name}} {{quantity}}{{unit}} */
            title: string;
            /**
             * @description Variables of a report template: store_id, report_id, dish_id, dish_name, quantity, unit, remark, reported_by, created_at. Of a daily_summary template: store_id, date, totals, report_count, reporter_count, first_report_at, last_report_at. An unknown variable is a 400.
             * @example #### {{dish_name}} × {{quantity}}{{unit}}
             *     - 报菜人：{{reported_by}}
             *     - 时间：{{created_at}}
             */
            body: string;
            /**
             * @description report: renders a bot's menu-report notifications; daily_summary: renders its daily summary (the bot's reports then use the built-in message)
             * @default report
             * @example report
             * @enum {string}
             */
            purpose?: "report" | "daily_summary";
        };
        TemplatePreviewResponse: {
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown";
            /** @example 报菜：宫保鸡丁 50份 */
            title: string;
            /** @example #### 宫保鸡丁 × 50份 */
            text: string;
            /**
             * @description UTF-8 size of the text; DingTalk refuses messages over 20,000 bytes
             * @example 1234
             */
            byte_size: number;
            /**
             * @description True when the text is over 20,000 bytes and would be split
             * @example false
             */
            over_limit: boolean;
        };
        PreviewDraftTemplateDto: {
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /**
             * @description report: renders a bot's menu-report notifications; daily_summary: renders its daily summary (the bot's reports then use the built-in message)
             * @default report
             * @example report
             * @enum {string}
             */
            purpose?: "report" | "daily_summary";
            /**
             * @description Values by variable name; the others take the samples {"store_id":"1","report_id":"1024","dish_id":"88","dish_name":"宫保鸡丁","quantity":"50","unit":"份","remark":"少辣","reported_by":"张师傅","created_at":"2026/12/01 11:30"} (a daily_summary template: {"store_id":"1","date":"2026-12-01","totals":"- 宫保鸡丁 120 份\n- 米饭 12.5 斤","report_count":"8","reporter_count":"3","first_report_at":"10:02","last_report_at":"20:41"})
             * @example {
             *       "dish_name": "米饭",
             *       "quantity": "2.5",
             *       "unit": "斤"
             *     }
             */
            values?: {
                [key: string]: string | number;
            };
            /** @example 报菜：{{dish_name}} */
            title: string;
            /**
             * @description The variables of its purpose, as when saving (an unknown one is a 400)
             * @example #### {{dish_name}} × {{quantity}}{{unit}}
             *     - 报菜人：{{reported_by}}
             */
            body: string;
        };
        UpdateMessageTemplateDto: {
            /** @example 厨房群简报 */
            name?: string;
            /**
             * @description The store whose bots may use it; null: every store (admin only). Optional for a store_admin with one store.
             * @example 1
             */
            store_id?: number | null;
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /** @example 报菜：{{dish_name}} {{quantity}}{{unit}} */
            title?: string;
            /**
             * @description Variables of a report template: store_id, report_id, dish_id, dish_name, quantity, unit, remark, reported_by, created_at. Of a daily_summary template: store_id, date, totals, report_count, reporter_count, first_report_at, last_report_at. An unknown variable is a 400.
             * @example #### {{dish_name}} × {{quantity}}{{unit}}
             *     - 报菜人：{{reported_by}}
             *     - 时间：{{created_at}}
             */
            body?: string;
            /**
             * @description report: renders a bot's menu-report notifications; daily_summary: renders its daily summary (the bot's reports then use the built-in message)
             * @default report
             * @example report
             * @enum {string}
             */
            purpose?: "report" | "daily_summary";
        };
        DeletedResponse: {
            /** @example 1 */
            id: number;
        };
        PreviewMessageTemplateDto: {
            /**
             * @description Values by variable name; the others take the samples {"store_id":"1","report_id":"1024","dish_id":"88","dish_name":"宫保鸡丁","quantity":"50","unit":"份","remark":"少辣","reported_by":"张师傅","created_at":"2026/12/01 11:30"} (a daily_summary template: {"store_id":"1","date":"2026-12-01","totals":"- 宫保鸡丁 120 份\n- 米饭 12.5 斤","report_count":"8","reporter_count":"3","first_report_at":"10:02","last_report_at":"20:41"})
             * @example {
             *       "dish_name": "米饭",
             *       "quantity": "2.5",
             *       "unit": "斤"
             *     }
             */
            values?: {
                [key: string]: string | number;
            };
        };
        DingTalkAppResponse: {
            /** @example 1 */
            id: number;
            /** @example 连锁门店报菜应用 */
            name: string;
            /** @example dingxxxxxxxxxxxx */
            client_id: string;
            /** @example 836390886 */
            agent_id: string | null;
            /** @example true */
            has_client_secret: boolean;
            /** @example 2026-12-01T08:00:00.000Z */
            created_at: string;
            /** @example 2026-12-01T08:00:00.000Z */
            updated_at: string;
        };
        CreateDingTalkAppDto: {
            /** @example 连锁门店报菜应用 */
            name: string;
            /**
             * @description The app's AppKey (ClientID); one app per client_id
             * @example dingxxxxxxxxxxxx
             */
            client_id: string;
            /**
             * @description The app's AppSecret (ClientSecret). Write-only: sealed at rest, never shown.
             * @example sEcReT-0123456789abcdefghijklmnopqrstuvwxyz
             */
            client_secret: string;
            /**
             * @description The app's AgentId (digits; a JSON number is accepted too): work notifications need it
             * @example 836390886
             */
            agent_id: string;
        };
        UpdateDingTalkAppDto: {
            /** @example 连锁门店报菜应用 */
            name?: string;
            /**
             * @description The app's AppSecret (ClientSecret). Write-only: sealed at rest, never shown.
             * @example sEcReT-0123456789abcdefghijklmnopqrstuvwxyz
             */
            client_secret?: string;
            /**
             * @description The app's AgentId (digits; a JSON number is accepted too): work notifications need it
             * @example 836390886
             */
            agent_id?: string;
        };
        SavedDingTalkBotResponse: {
            /** @example 1 */
            id: number;
            /** @example 测试门店通知 */
            name: string;
            /** @example 1 */
            store_id: number;
            /**
             * @example webhook
             * @enum {string}
             */
            bot_type: "webhook" | "stream";
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown";
            /** @example true */
            is_enabled: boolean;
            /** @example https://oapi.dingtalk.com/robot/send?access_token=1a2b****9z8y */
            webhook: string | null;
            /** @example true */
            has_secret: boolean;
            /** @example [] */
            at_mobiles: string[];
            /** @example false */
            at_all: boolean;
            /**
             * @description A stream bot's DingTalk app (GET /api/v1/dingtalk-apps/:id)
             * @example null
             */
            app_id: number | null;
            /**
             * @description The app's AppKey
             * @example null
             */
            client_id: string | null;
            /**
             * @description The app's AgentId
             * @example null
             */
            agent_id: string | null;
            /**
             * @description Whether the bot's app has a secret (always, for a stream bot with an app); never shown
             * @example false
             */
            has_client_secret: boolean;
            /** @example [] */
            user_ids: string[];
            /** @example null */
            open_conversation_id: string | null;
            /** @example [] */
            at_user_ids: string[];
            /**
             * @description stream bots: the card platform template its interactive cards are made from; null: no cards
             * @example null
             */
            card_template_id: string | null;
            /** @example 20 */
            rate_limit_per_minute: number;
            /** @example null */
            template_id: number | null;
            /**
             * @description HH:MM in REPORT_TIMEZONE when the bot gets the day's summary; null: none
             * @example 21:30
             */
            daily_summary_at: string | null;
            /**
             * @description healthy; degraded while messages still get through or will by themselves (retrying, throttled, reconnecting); broken when nothing gets through until someone acts (DingTalk refuses the sends or the credentials, retries ran out, the Stream connection cannot be made, the organisation's monthly quota is used up)
             * @example healthy
             * @enum {string}
             */
            health: "healthy" | "degraded" | "broken";
            /**
             * @description Why it is not healthy; null when healthy
             * @example null
             * @enum {string|null}
             */
            health_reason: "retrying" | "throttled" | "ip_blocked" | "reconnecting" | "send_refused" | "retries_exhausted" | "quota_used_up" | "credentials_refused" | "cannot_connect" | null;
            /**
             * @description DingTalk's answer or the connection's error, e.g. `errcode 310000: sign not match`
             * @example null
             */
            health_detail: string | null;
            /**
             * @description What to do about it, in plain words (the hint of the delivery log)
             * @example null
             */
            health_hint: string | null;
            /**
             * @description Since when the bot has had this health
             * @example 2026-11-24T08:00:00.000Z
             */
            health_since: string | null;
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @example 2026-11-24T08:00:00.000Z */
            updated_at: string;
            /**
             * @description Sentences about the change that are not errors: empty when all is well. An enabled stream bot on an app that has another enabled bot without open_conversation_id names that bot (so does any bot whose change makes the app serve a second store), and one that has none itself beside another enabled bot, or on an app that has served another store, says so of itself: an app's only bot without a group takes every group's messages (an upgraded single-store app), and none once a second bot is enabled on the app or a bot of another store has been on it (docs/dingtalk-apps.md).
             * @example [
             *       "Bot 3 (store 1) on app 1 has no open_conversation_id: it took every group's messages only while it was the only enabled bot of an app that had served one store. With this bot on the app it takes no group's messages (a group gets a \"not linked\" answer that names its open_conversation_id), nor one-to-one messages of senders not bound to a store. Set its open_conversation_id to its group: PUT /api/v1/dingtalk-bots/3."
             *     ]
             */
            warnings: string[];
        };
        CreateDingTalkBotDto: {
            /**
             * @description Optional for a store_admin token with exactly one store.
             * @example 1
             */
            store_id?: number;
            /** @example 测试门店通知 */
            name: string;
            /**
             * @default webhook
             * @example webhook
             * @enum {string}
             */
            bot_type?: "webhook" | "stream";
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /**
             * @default true
             * @example true
             */
            is_enabled?: boolean;
            /**
             * @description webhook bots: the robot's webhook URL, on one of DINGTALK_WEBHOOK_ORIGINS. Write-only: shown masked.
             * @example https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d
             */
            webhook?: string | null;
            /**
             * @description webhook bots: the signing secret (加签). Write-only. null removes it.
             * @example SEC0123456789abcdef0123456789abcdef
             */
            secret?: string | null;
            /**
             * @description webhook bots: mobiles to @mention
             * @example [
             *       "13800000000"
             *     ]
             */
            at_mobiles?: string[];
            /**
             * @description webhook bots: @mention everyone
             * @default false
             * @example false
             */
            at_all?: boolean;
            /**
             * @description stream bots: the DingTalk app it belongs to (GET /api/v1/dingtalk-apps); or name the app by client_id and client_secret
             * @example 1
             */
            app_id?: number | null;
            /**
             * @description stream bots, instead of app_id: the app's AppKey (ClientID). With client_secret it finds the app (the secret must be its own) or adds it.
             * @example dingxxxxxxxxxxxx
             */
            client_id?: string | null;
            /**
             * @description stream bots, with client_id: the app's AppSecret (ClientSecret). Write-only; it must be the app's own (an admin changes an app's secret on the app).
             * @example sEcReT-0123456789abcdefghijklmnopqrstuvwxyz
             */
            client_secret?: string | null;
            /**
             * @description stream bots, with client_id: the app's AgentId (digits; a JSON number is accepted too), required when the app is new
             * @example 836390886
             */
            agent_id?: string | null;
            /**
             * @description stream bots: userids that get a work notification
             * @example [
             *       "manager1234"
             *     ]
             */
            user_ids?: string[];
            /**
             * @description stream bots: the store's group the app robot posts to; messages written in that group are this bot's store's
             * @example cidAbC123==
             */
            open_conversation_id?: string | null;
            /**
             * @description stream bots: userids to @mention
             * @example [
             *       "manager1234"
             *     ]
             */
            at_user_ids?: string[];
            /**
             * @description stream bots: the id of the card platform template its interactive cards (kitchen confirmation) are made from, as DingTalk shows it after publishing (docs/dingtalk/cards/README.md); the card goes to open_conversation_id. null: no cards
             * @example c3a7e6f0-1b2d-4e5f-8a9b-0c1d2e3f4a5b.schema
             */
            card_template_id?: string | null;
            /**
             * @description At most this many messages a minute (DingTalk allows 20)
             * @default 20
             * @example 20
             */
            rate_limit_per_minute?: number;
            /**
             * @description A message template of this store or a shared one; null: the built-in message
             * @example null
             */
            template_id?: number | null;
            /**
             * @description When the bot gets the day's summary of its store's reports, as HH:MM (00:00–23:59) in REPORT_TIMEZONE; null: no summary. A time set after today’s moment has passed takes effect tomorrow.
             * @example 21:30
             */
            daily_summary_at?: string | null;
        };
        DingTalkBotResponse: {
            /** @example 1 */
            id: number;
            /** @example 测试门店通知 */
            name: string;
            /** @example 1 */
            store_id: number;
            /**
             * @example webhook
             * @enum {string}
             */
            bot_type: "webhook" | "stream";
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown";
            /** @example true */
            is_enabled: boolean;
            /** @example https://oapi.dingtalk.com/robot/send?access_token=1a2b****9z8y */
            webhook: string | null;
            /** @example true */
            has_secret: boolean;
            /** @example [] */
            at_mobiles: string[];
            /** @example false */
            at_all: boolean;
            /**
             * @description A stream bot's DingTalk app (GET /api/v1/dingtalk-apps/:id)
             * @example null
             */
            app_id: number | null;
            /**
             * @description The app's AppKey
             * @example null
             */
            client_id: string | null;
            /**
             * @description The app's AgentId
             * @example null
             */
            agent_id: string | null;
            /**
             * @description Whether the bot's app has a secret (always, for a stream bot with an app); never shown
             * @example false
             */
            has_client_secret: boolean;
            /** @example [] */
            user_ids: string[];
            /** @example null */
            open_conversation_id: string | null;
            /** @example [] */
            at_user_ids: string[];
            /**
             * @description stream bots: the card platform template its interactive cards are made from; null: no cards
             * @example null
             */
            card_template_id: string | null;
            /** @example 20 */
            rate_limit_per_minute: number;
            /** @example null */
            template_id: number | null;
            /**
             * @description HH:MM in REPORT_TIMEZONE when the bot gets the day's summary; null: none
             * @example 21:30
             */
            daily_summary_at: string | null;
            /**
             * @description healthy; degraded while messages still get through or will by themselves (retrying, throttled, reconnecting); broken when nothing gets through until someone acts (DingTalk refuses the sends or the credentials, retries ran out, the Stream connection cannot be made, the organisation's monthly quota is used up)
             * @example healthy
             * @enum {string}
             */
            health: "healthy" | "degraded" | "broken";
            /**
             * @description Why it is not healthy; null when healthy
             * @example null
             * @enum {string|null}
             */
            health_reason: "retrying" | "throttled" | "ip_blocked" | "reconnecting" | "send_refused" | "retries_exhausted" | "quota_used_up" | "credentials_refused" | "cannot_connect" | null;
            /**
             * @description DingTalk's answer or the connection's error, e.g. `errcode 310000: sign not match`
             * @example null
             */
            health_detail: string | null;
            /**
             * @description What to do about it, in plain words (the hint of the delivery log)
             * @example null
             */
            health_hint: string | null;
            /**
             * @description Since when the bot has had this health
             * @example 2026-11-24T08:00:00.000Z
             */
            health_since: string | null;
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @example 2026-11-24T08:00:00.000Z */
            updated_at: string;
        };
        UpdateDingTalkBotDto: {
            /**
             * @description Optional for a store_admin token with exactly one store.
             * @example 1
             */
            store_id?: number;
            /** @example 测试门店通知 */
            name?: string;
            /**
             * @default webhook
             * @example webhook
             * @enum {string}
             */
            bot_type?: "webhook" | "stream";
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /**
             * @default true
             * @example true
             */
            is_enabled?: boolean;
            /**
             * @description webhook bots: the robot's webhook URL, on one of DINGTALK_WEBHOOK_ORIGINS. Write-only: shown masked.
             * @example https://oapi.dingtalk.com/robot/send?access_token=1a2b3c4d5e6f7a8b9c0d
             */
            webhook?: string | null;
            /**
             * @description webhook bots: the signing secret (加签). Write-only. null removes it.
             * @example SEC0123456789abcdef0123456789abcdef
             */
            secret?: string | null;
            /**
             * @description webhook bots: mobiles to @mention
             * @example [
             *       "13800000000"
             *     ]
             */
            at_mobiles?: string[];
            /**
             * @description webhook bots: @mention everyone
             * @default false
             * @example false
             */
            at_all?: boolean;
            /**
             * @description stream bots: the DingTalk app it belongs to (GET /api/v1/dingtalk-apps); or name the app by client_id and client_secret
             * @example 1
             */
            app_id?: number | null;
            /**
             * @description stream bots, instead of app_id: the app's AppKey (ClientID). With client_secret it finds the app (the secret must be its own) or adds it.
             * @example dingxxxxxxxxxxxx
             */
            client_id?: string | null;
            /**
             * @description stream bots, with client_id: the app's AppSecret (ClientSecret). Write-only; it must be the app's own (an admin changes an app's secret on the app).
             * @example sEcReT-0123456789abcdefghijklmnopqrstuvwxyz
             */
            client_secret?: string | null;
            /**
             * @description stream bots, with client_id: the app's AgentId (digits; a JSON number is accepted too), required when the app is new
             * @example 836390886
             */
            agent_id?: string | null;
            /**
             * @description stream bots: userids that get a work notification
             * @example [
             *       "manager1234"
             *     ]
             */
            user_ids?: string[];
            /**
             * @description stream bots: the store's group the app robot posts to; messages written in that group are this bot's store's
             * @example cidAbC123==
             */
            open_conversation_id?: string | null;
            /**
             * @description stream bots: userids to @mention
             * @example [
             *       "manager1234"
             *     ]
             */
            at_user_ids?: string[];
            /**
             * @description stream bots: the id of the card platform template its interactive cards (kitchen confirmation) are made from, as DingTalk shows it after publishing (docs/dingtalk/cards/README.md); the card goes to open_conversation_id. null: no cards
             * @example c3a7e6f0-1b2d-4e5f-8a9b-0c1d2e3f4a5b.schema
             */
            card_template_id?: string | null;
            /**
             * @description At most this many messages a minute (DingTalk allows 20)
             * @default 20
             * @example 20
             */
            rate_limit_per_minute?: number;
            /**
             * @description A message template of this store or a shared one; null: the built-in message
             * @example null
             */
            template_id?: number | null;
            /**
             * @description When the bot gets the day's summary of its store's reports, as HH:MM (00:00–23:59) in REPORT_TIMEZONE; null: no summary. A time set after today’s moment has passed takes effect tomorrow.
             * @example 21:30
             */
            daily_summary_at?: string | null;
        };
        BotTestResultResponse: {
            /**
             * @description DingTalk's numeric errcode (0: accepted); null when it answered with a text code or not at all
             * @example 0
             */
            errcode: number | null;
            /**
             * @description The text code of DingTalk's newer APIs (e.g. invalidClientIdOrSecret), if any
             * @example null
             */
            error_code: string | null;
            /** @example false */
            ok: boolean;
            /** @example sign not match */
            errmsg: string;
            /** @example The signature does not match: check the bot's secret (加签, starts with SEC) and that this server's clock is right. */
            hint: string | null;
            /** @example 84 */
            latency_ms: number;
        };
        BotStatusResponse: {
            /** @example 1 */
            bot_id: number;
            /** @enum {string} */
            bot_type: "webhook" | "stream";
            is_enabled: boolean;
            /**
             * @description not_applicable for webhook bots
             * @enum {string}
             */
            connection_status: "connected" | "connecting" | "reconnecting" | "disconnected" | "auth_failed" | "not_applicable";
            /**
             * @description Stream bots: the service instance that holds the connection, whichever instance answers; null when none does
             * @example null
             */
            instance_id: string | null;
            /**
             * @description Since when connection_status has its current value (null when no instance holds the bot)
             * @example null
             */
            status_since: string | null;
            /** @example null */
            connected_since: string | null;
            /**
             * @description When DingTalk last delivered a message to the bot
             * @example null
             */
            last_message_time: string | null;
            /** @example null */
            last_error: string | null;
            /** @example 0 */
            reconnect_count: number;
            /** @example null */
            last_delivery_at: string | null;
            /** @example null */
            last_delivery_status: string | null;
            /** @example 0 */
            pending_notifications: number;
            /**
             * @description Until when nothing is sent through this bot: a throttle of its DingTalk robot (shared by every bot with the same webhook), or of its app (the organisation's monthly API quota)
             * @example null
             */
            rate_limited_until: string | null;
            /**
             * @description While such a pause lasts: why, in plain words, and what can be done about it
             * @example null
             */
            pause_hint: string | null;
            /**
             * @description healthy; degraded while messages still get through or will by themselves (retrying, throttled, reconnecting); broken when nothing gets through until someone acts (DingTalk refuses the sends or the credentials, retries ran out, the Stream connection cannot be made, the organisation's monthly quota is used up)
             * @example healthy
             * @enum {string}
             */
            health: "healthy" | "degraded" | "broken";
            /**
             * @description Why it is not healthy; null when healthy
             * @example null
             * @enum {string|null}
             */
            health_reason: "retrying" | "throttled" | "ip_blocked" | "reconnecting" | "send_refused" | "retries_exhausted" | "quota_used_up" | "credentials_refused" | "cannot_connect" | null;
            /**
             * @description DingTalk's answer or the connection's error, e.g. `errcode 310000: sign not match`
             * @example null
             */
            health_detail: string | null;
            /**
             * @description What to do about it, in plain words (the hint of the delivery log)
             * @example null
             */
            health_hint: string | null;
            /**
             * @description Since when the bot has had this health
             * @example 2026-11-24T08:00:00.000Z
             */
            health_since: string | null;
        };
        BatchSendItem: {
            /** @example 1 */
            bot_id: number;
            /**
             * @description The notification, or its numbered parts when over 20,000 bytes; empty when nothing was queued
             * @example [
             *       "41"
             *     ]
             */
            notification_ids: string[];
            /**
             * @example pending
             * @enum {string}
             */
            status: "pending" | "skipped";
            /** @example null */
            reason: string | null;
        };
        BatchSendResponse: {
            /**
             * @description Notifications queued for delivery
             * @example 2
             */
            queued: number;
            items: components["schemas"]["BatchSendItem"][];
        };
        BatchSendDto: {
            /**
             * @description The bots to send to; or give store_id instead
             * @example [
             *       1,
             *       2
             *     ]
             */
            bot_ids?: number[];
            /**
             * @description Every enabled bot of this store; or give bot_ids instead
             * @example 1
             */
            store_id?: number;
            /**
             * @default markdown
             * @example markdown
             * @enum {string}
             */
            msg_type?: "text" | "markdown";
            /**
             * @description Required for markdown (the chat list shows it)
             * @example 今日盘点提醒
             */
            title?: string;
            /**
             * @description Over 20,000 bytes, it is sent in numbered parts
             * @example #### 今日盘点提醒
             *     请各门店 21:00 前完成盘点。
             */
            content: string;
            /**
             * @description webhook bots: mobiles to @mention
             * @example [
             *       "13800000000"
             *     ]
             */
            at_mobiles?: string[];
            /**
             * @description stream bots: user ids to @mention
             * @example [
             *       "manager1234"
             *     ]
             */
            at_user_ids?: string[];
        };
        NotificationTargetResponse: {
            /**
             * @example users
             * @enum {string}
             */
            target: "users" | "group";
            /**
             * @description sent: every user has it (users), DingTalk took it (group); partial: some users did not get it and sending again would not reach them (see recipients); unconfirmed: DingTalk took it but never said whether some users got it; pending: still to send; failed / skipped / merged: as the notification
             * @example partial
             * @enum {string}
             */
            status: "sent" | "partial" | "unconfirmed" | "pending" | "failed" | "skipped" | "merged";
        };
        NotificationRecipientResponse: {
            /**
             * @description DingTalk's numeric errcode (0: accepted); null when it answered with a text code or not at all
             * @example 0
             */
            errcode: number | null;
            /**
             * @description The text code of DingTalk's newer APIs (e.g. invalidClientIdOrSecret), if any
             * @example null
             */
            error_code: string | null;
            /** @example manager01 */
            user_id: string;
            /**
             * @description delivered: in the user’s chat; invalid: unknown to the organisation; forbidden: held back by a DingTalk limit (errcode 143105 the user’s daily quota, 143106 the same content twice a day, 143103/143104 the app’s per-minute quota, which a retry gets past); failed: DingTalk failed it (retried); unconfirmed: DingTalk never said; unanswered: the send had no answer, DingTalk may have it (retried; a repeat DingTalk drops as the same content, 143106, means the earlier send arrived: delivered)
             * @example forbidden
             * @enum {string}
             */
            outcome: "delivered" | "invalid" | "forbidden" | "failed" | "unconfirmed" | "unanswered";
        };
        NotificationConfirmationResponse: {
            /**
             * @description `off`: the store's confirmation was off when the report was made; `not_requested`: this bot cannot carry buttons (`reason` says why)
             * @example confirmed
             * @enum {string}
             */
            status: "off" | "not_requested" | "unconfirmed" | "confirmed";
            /** @example null */
            reason: string | null;
            /**
             * @description The furthest button pressed
             * @example received
             */
            action: string | null;
            /**
             * @description DingTalk userid; 'link' for a link
             * @example chef01
             */
            by_user_id: string | null;
            /** @example 张师傅 */
            by_name: string | null;
            /**
             * @example card
             * @enum {string|null}
             */
            via: "card" | "link" | null;
            /**
             * @description First press
             * @example 2026-11-24T08:03:10.000Z
             */
            confirmed_at: string | null;
            /**
             * @description Last step
             * @example 2026-11-24T08:03:10.000Z
             */
            action_at: string | null;
        };
        NotificationResponse: {
            /** @example 17 */
            id: number;
            /** @example 1 */
            bot_id: number;
            /** @example 1 */
            store_id: number;
            /** @example 5 */
            menu_report_id: number | null;
            /**
             * @example menu_report
             * @enum {string}
             */
            kind: "menu_report" | "batch" | "digest" | "daily_summary" | "test" | "alert" | "reminder" | "escalation";
            /**
             * @description pending: queued, or waiting for the bot’s rate limit or throttle pause; retrying: a transient error, next try at next_attempt_at; sent; failed: permanent error or retries exhausted (see hint); merged: folded into merged_into; skipped
             * @example sent
             * @enum {string}
             */
            status: "pending" | "retrying" | "sent" | "failed" | "merged" | "skipped";
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown" | "actionCard" | "card";
            /** @example 报菜通知：宫保鸡丁 50 份 */
            title: string;
            /**
             * @example #### 报菜通知 · 门店 1
             *     - **菜品**：宫保鸡丁
             */
            content: string;
            /**
             * @description Attempts spent (a throttled answer spends none)
             * @example 1
             */
            attempt_count: number;
            /** @example 2026-11-24T08:00:00.000Z */
            next_attempt_at: string;
            /**
             * @description What DingTalk answered last time
             * @example null
             */
            last_error: string | null;
            /**
             * @description What to fix, in plain words
             * @example null
             */
            hint: string | null;
            /** @description A stream bot’s targets and how each stands after the last attempt; empty for a webhook bot */
            targets: components["schemas"]["NotificationTargetResponse"][];
            /** @description A stream bot’s users and what became of the work notification for each; empty until it was sent */
            recipients: components["schemas"]["NotificationRecipientResponse"][];
            confirmation: components["schemas"]["NotificationConfirmationResponse"];
            /** @example null */
            merged_into: number | null;
            /** @example 2026-11-24T08:00:01.000Z */
            sent_at: string | null;
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @example 2026-11-24T08:00:01.000Z */
            updated_at: string;
        };
        NotificationAttemptResponse: {
            /**
             * @description DingTalk's numeric errcode (0: accepted); null when it answered with a text code or not at all
             * @example 0
             */
            errcode: number | null;
            /**
             * @description The text code of DingTalk's newer APIs (e.g. invalidClientIdOrSecret), if any
             * @example null
             */
            error_code: string | null;
            /** @example 2026-11-24T08:00:00.000Z */
            at: string;
            /**
             * @example ok
             * @enum {string}
             */
            outcome: "ok" | "throttled" | "transient" | "permanent" | "token_expired";
            /** @example 200 */
            http_status: number | null;
            /** @example ok */
            errmsg: string | null;
            /** @example 42 */
            latency_ms: number | null;
        };
        NotificationDetailResponse: {
            /** @example 17 */
            id: number;
            /** @example 1 */
            bot_id: number;
            /** @example 1 */
            store_id: number;
            /** @example 5 */
            menu_report_id: number | null;
            /**
             * @example menu_report
             * @enum {string}
             */
            kind: "menu_report" | "batch" | "digest" | "daily_summary" | "test" | "alert" | "reminder" | "escalation";
            /**
             * @description pending: queued, or waiting for the bot’s rate limit or throttle pause; retrying: a transient error, next try at next_attempt_at; sent; failed: permanent error or retries exhausted (see hint); merged: folded into merged_into; skipped
             * @example sent
             * @enum {string}
             */
            status: "pending" | "retrying" | "sent" | "failed" | "merged" | "skipped";
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown" | "actionCard" | "card";
            /** @example 报菜通知：宫保鸡丁 50 份 */
            title: string;
            /**
             * @example #### 报菜通知 · 门店 1
             *     - **菜品**：宫保鸡丁
             */
            content: string;
            /**
             * @description Attempts spent (a throttled answer spends none)
             * @example 1
             */
            attempt_count: number;
            /** @example 2026-11-24T08:00:00.000Z */
            next_attempt_at: string;
            /**
             * @description What DingTalk answered last time
             * @example null
             */
            last_error: string | null;
            /**
             * @description What to fix, in plain words
             * @example null
             */
            hint: string | null;
            /** @description A stream bot’s targets and how each stands after the last attempt; empty for a webhook bot */
            targets: components["schemas"]["NotificationTargetResponse"][];
            /** @description A stream bot’s users and what became of the work notification for each; empty until it was sent */
            recipients: components["schemas"]["NotificationRecipientResponse"][];
            confirmation: components["schemas"]["NotificationConfirmationResponse"];
            /** @example null */
            merged_into: number | null;
            /** @example 2026-11-24T08:00:01.000Z */
            sent_at: string | null;
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @example 2026-11-24T08:00:01.000Z */
            updated_at: string;
            /** @description Every attempt, oldest first */
            attempts: components["schemas"]["NotificationAttemptResponse"][];
        };
        ReportNotificationSummary: {
            /** @example 17 */
            id: number;
            /** @example 1 */
            bot_id: number;
            /**
             * @example pending
             * @enum {string}
             */
            status: "pending" | "retrying" | "sent" | "failed" | "merged" | "skipped";
            confirmation: components["schemas"]["NotificationConfirmationResponse"];
        };
        ReportConfirmationResponse: {
            /**
             * @description `off`: the store's confirmation was off when the report was made; `not_requested`: none of its bots could carry buttons (each notification says why)
             * @example unconfirmed
             * @enum {string}
             */
            status: "off" | "not_requested" | "unconfirmed" | "confirmed";
            /** @example ready */
            action: string | null;
            /** @example chef01 */
            by_user_id: string | null;
            /** @example 张师傅 */
            by_name: string | null;
            /**
             * @example card
             * @enum {string|null}
             */
            via: "card" | "link" | null;
            /** @example 2026-11-24T08:03:10.000Z */
            confirmed_at: string | null;
            /**
             * @description Seconds from the report
             * @example 190
             */
            seconds_to_confirm: number | null;
            /** @example 2026-11-24T08:10:00.000Z */
            reminder_due_at: string | null;
            /**
             * @example cancelled
             * @enum {string}
             */
            reminder: "none" | "pending" | "sent" | "cancelled" | "skipped";
            /** @example 2026-11-24T08:20:00.000Z */
            escalation_due_at: string | null;
            /**
             * @example cancelled
             * @enum {string}
             */
            escalation: "none" | "pending" | "sent" | "cancelled" | "skipped";
        };
        CreatedMenuReportResponse: {
            /** @example 5 */
            id: number;
            /** @example 1 */
            store_id: number;
            /** @example 12 */
            dish_id: number | null;
            /** @example 宫保鸡丁 */
            dish_name: string | null;
            /** @example 50 */
            quantity: number;
            /** @example 份 */
            unit: string;
            /** @example 少辣 */
            remark: string | null;
            /**
             * @description The token's sub, or the DingTalk staff member
             * @example store-manager-1
             */
            reported_by: string;
            /**
             * @example api
             * @enum {string}
             */
            source: "api" | "dingtalk";
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @description One per enabled bot of the store when the report was made */
            notifications: components["schemas"]["ReportNotificationSummary"][];
            confirmation: components["schemas"]["ReportConfirmationResponse"];
            /**
             * @description Sentences about the report that are not errors: empty when all is well. A report for a store without an enabled bot is stored (201) with no notifications, and says so here; so does one whose notifications of some bots are `skipped` because those bots have nowhere to send (a stream bot without user_ids or open_conversation_id), naming them.
             * @example [
             *       "Store 1 has no enabled DingTalk bot: the report is stored, but nobody was notified. Add a bot for the store (POST /api/v1/dingtalk-bots) or enable one (PUT /api/v1/dingtalk-bots/{id} with is_enabled: true)."
             *     ]
             */
            warnings: string[];
        };
        CreateMenuReportDto: {
            /**
             * @description Optional for a store_admin token with exactly one store.
             * @example 1
             */
            store_id?: number;
            /**
             * @description The dish's id in the chain's menu
             * @example 12
             */
            dish_id?: number | null;
            /** @example 宫保鸡丁 */
            dish_name?: string | null;
            /**
             * @description Greater than 0; up to three decimals (2.5 斤)
             * @example 50
             */
            quantity: number;
            /** @example 份 */
            unit: string;
            /** @example 少辣 */
            remark?: string | null;
        };
        MenuReportResponse: {
            /** @example 5 */
            id: number;
            /** @example 1 */
            store_id: number;
            /** @example 12 */
            dish_id: number | null;
            /** @example 宫保鸡丁 */
            dish_name: string | null;
            /** @example 50 */
            quantity: number;
            /** @example 份 */
            unit: string;
            /** @example 少辣 */
            remark: string | null;
            /**
             * @description The token's sub, or the DingTalk staff member
             * @example store-manager-1
             */
            reported_by: string;
            /**
             * @example api
             * @enum {string}
             */
            source: "api" | "dingtalk";
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @description One per enabled bot of the store when the report was made */
            notifications: components["schemas"]["ReportNotificationSummary"][];
            confirmation: components["schemas"]["ReportConfirmationResponse"];
        };
        DailySummaryPreviewResponse: {
            /** @example 1 */
            bot_id: number;
            /**
             * @description The day, in REPORT_TIMEZONE
             * @example 2026-11-24
             */
            date: string;
            /**
             * @example markdown
             * @enum {string}
             */
            msg_type: "text" | "markdown";
            /** @example 报菜日报：门店 1 2026-11-24 */
            title: string;
            /**
             * @example #### 报菜日报 · 门店 1 · 2026-11-24
             *     - 宫保鸡丁 120 份
             *
             *     > 共 8 条报菜，3 位报菜人；首条 10:02，末条 20:41
             */
            text: string;
            /**
             * @description UTF-8 size of the text; DingTalk refuses messages over 20,000 bytes
             * @example 152
             */
            byte_size: number;
            /**
             * @description How many messages it goes out as: more than 1 when it is split into numbered parts
             * @example 1
             */
            parts: number;
        };
        BotHealthSettingsResponse: {
            /**
             * @description A stream bot whose Stream connection has been reconnecting this many seconds is broken (`cannot_connect`)
             * @example 300
             */
            unreachable_after_seconds: number;
            /**
             * @description A bot broken (or mended) for less than this many seconds is not alerted: against flapping. 0: at once
             * @example 30
             */
            alert_quiet_period_seconds: number;
            /**
             * @description While a bot stays unhealthy after its alert, a "still broken" reminder every this many hours
             * @example 24
             */
            alert_reminder_hours: number;
            /** @example 2026-11-24T08:00:00.000Z */
            updated_at: string;
            /**
             * @description Who changed the settings last (the token’s sub); null: never changed
             * @example ops-lead
             */
            updated_by: string | null;
        };
        UpdateBotHealthSettingsDto: {
            /**
             * @description A stream bot whose Stream connection has been reconnecting this many seconds is broken (`cannot_connect`)
             * @example 300
             */
            unreachable_after_seconds?: number;
            /**
             * @description A bot broken (or mended) for less than this many seconds is not alerted: against flapping. 0: at once
             * @example 30
             */
            alert_quiet_period_seconds?: number;
            /**
             * @description While a bot stays unhealthy after its alert, a "still broken" reminder every this many hours
             * @example 24
             */
            alert_reminder_hours?: number;
        };
        AlertDestinationResponse: {
            /** @example 1 */
            id: number;
            /** @example 总部运维群 */
            name: string;
            /**
             * @description null: the chain's destination
             * @example null
             */
            store_id: number | null;
            /**
             * @description null: none, or the bot was deleted
             * @example 1
             */
            dingtalk_bot_id: number | null;
            /**
             * @description Its query string masked, as it may carry a token
             * @example https://ops.example.com/hooks/dingtalk-bots
             */
            webhook_url: string | null;
            /** @example false */
            has_webhook_secret: boolean;
            /** @example true */
            is_enabled: boolean;
            /** @example 2026-11-24T08:00:00.000Z */
            created_at: string;
            /** @example 2026-11-24T08:00:00.000Z */
            updated_at: string;
        };
        CreateAlertDestinationDto: {
            /** @example 总部运维群 */
            name: string;
            /**
             * @description The store whose bots' alerts go here; null (the default): every store's, the chain's destination
             * @example null
             */
            store_id?: number | null;
            /**
             * @description A bot of this service (e.g. HQ’s group robot) that posts the alerts: they go through the delivery queue as notifications of kind `alert`, with its rate limit, retries and delivery log
             * @example 1
             */
            dingtalk_bot_id?: number | null;
            /**
             * @description An HTTPS URL that receives each alert as a signed JSON POST (Standard Webhooks, as Svix signs: headers webhook-id, webhook-timestamp, webhook-signature). http:// only to this machine (localhost, 127.0.0.1, [::1])
             * @example https://ops.example.com/hooks/dingtalk-bots
             */
            webhook_url?: string | null;
            /**
             * @description Required with webhook_url: `whsec_` and base64 of 24 to 64 random bytes (`echo whsec_$(openssl rand -base64 32)`). Never returned
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            webhook_secret?: string;
            /**
             * @default true
             * @example true
             */
            is_enabled?: boolean;
        };
        UpdateAlertDestinationDto: {
            /** @example 总部运维群 */
            name?: string;
            /**
             * @description The store whose bots' alerts go here; null (the default): every store's, the chain's destination
             * @example null
             */
            store_id?: number | null;
            /**
             * @description A bot of this service (e.g. HQ’s group robot) that posts the alerts: they go through the delivery queue as notifications of kind `alert`, with its rate limit, retries and delivery log
             * @example 1
             */
            dingtalk_bot_id?: number | null;
            /**
             * @description An HTTPS URL that receives each alert as a signed JSON POST (Standard Webhooks, as Svix signs: headers webhook-id, webhook-timestamp, webhook-signature). http:// only to this machine (localhost, 127.0.0.1, [::1])
             * @example https://ops.example.com/hooks/dingtalk-bots
             */
            webhook_url?: string | null;
            /**
             * @description Required with webhook_url: `whsec_` and base64 of 24 to 64 random bytes (`echo whsec_$(openssl rand -base64 32)`). Never returned
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            webhook_secret?: string;
            /**
             * @default true
             * @example true
             */
            is_enabled?: boolean;
        };
        BotAlertResponse: {
            /**
             * @description A decimal string (a bigint)
             * @example 1
             */
            id: string;
            /**
             * @example broken
             * @enum {string}
             */
            type: "broken" | "recovered" | "still_broken";
            /** @example 5 */
            bot_id: number;
            /** @example 厨房群 */
            bot_name: string;
            /** @example 12 */
            store_id: number;
            /**
             * @example broken
             * @enum {string}
             */
            health: "healthy" | "degraded" | "broken";
            /**
             * @example send_refused
             * @enum {string|null}
             */
            health_reason: "retrying" | "throttled" | "ip_blocked" | "reconnecting" | "send_refused" | "retries_exhausted" | "quota_used_up" | "credentials_refused" | "cannot_connect" | null;
            /** @example errcode 310000: sign not match */
            health_detail: string | null;
            /** @example null */
            health_hint: string | null;
            /**
             * @description Since when the bot had that health
             * @example 2026-11-24T08:00:00.000Z
             */
            health_since: string;
            /**
             * @description When the alert was made
             * @example 2026-11-24T08:00:40.000Z
             */
            created_at: string;
        };
        ConfirmationButtonDto: {
            /**
             * @description The button's action id: a card template's actionId (`received`, `ready` in the repo's template)
             * @example received
             */
            action: string;
            /** @example 收到 */
            label: string;
        };
        ConfirmationSettingsResponse: {
            /** @example 1 */
            store_id: number;
            /** @example true */
            enabled: boolean;
            buttons: components["schemas"]["ConfirmationButtonDto"][];
            /** @example 10 */
            reminder_after_minutes: number | null;
            /**
             * @example [
             *       "chef01"
             *     ]
             */
            reminder_at_user_ids: string[];
            /**
             * @example [
             *       "13800000000"
             *     ]
             */
            reminder_at_mobiles: string[];
            /** @example 20 */
            escalation_after_minutes: number | null;
            /** @example 7 */
            escalation_bot_id: number | null;
            /**
             * @description Why webhook bots' reports carry no buttons even when enabled (PUBLIC_URL is not set); null when they do
             * @example null
             */
            webhook_buttons_unavailable: string | null;
            /**
             * Format: date-time
             * @description Null: never set (the defaults)
             */
            updated_at: string | null;
        };
        UpdateConfirmationSettingsDto: {
            /**
             * @description The store's reports ask the kitchen to confirm
             * @example true
             */
            enabled?: boolean;
            /** @description The buttons, in the order a kitchen goes through them: the first press of any confirms, a later one further along moves the action forward (收到, then 已备好). Default: received/收到, ready/已备好 */
            buttons?: components["schemas"]["ConfirmationButtonDto"][];
            /**
             * @description Minutes after the report: still unconfirmed, it is reminded in the same group. Null: no reminder
             * @example 10
             */
            reminder_after_minutes?: number | null;
            /**
             * @description DingTalk userids the reminder @mentions
             * @example [
             *       "chef01"
             *     ]
             */
            reminder_at_user_ids?: string[];
            /**
             * @description Mobiles the reminder @mentions (a custom robot mentions by mobile)
             * @example [
             *       "13800000000"
             *     ]
             */
            reminder_at_mobiles?: string[];
            /**
             * @description Minutes after the report: still unconfirmed, it is escalated to escalation_bot_id (after the reminder, when both are set). Null: no escalation
             * @example 20
             */
            escalation_after_minutes?: number | null;
            /**
             * @description The bot that receives escalations: any bot of this service (a manager's, HQ's group); a store admin names one of the stores it manages
             * @example 7
             */
            escalation_bot_id?: number | null;
        };
        StoreOverviewResponse: {
            /** @example 3 */
            store_id: number;
            /**
             * @description Bots of the store, enabled or not
             * @example 2
             */
            bots: number;
            /** @example 2 */
            enabled_bots: number;
            /**
             * @description Bots of the store whose health is broken
             * @example 1
             */
            broken_bots: number;
            /**
             * @description Bots of the store whose health is degraded
             * @example 0
             */
            degraded_bots: number;
            /**
             * @description Notifications waiting to go out now (pending or retrying), whenever they were made
             * @example 0
             */
            pending: number;
            /**
             * @description Of the notifications made today (REPORT_TIMEZONE), those that failed
             * @example 1
             */
            failed_today: number;
            /**
             * @description Of the notifications made today (REPORT_TIMEZONE), those that were sent
             * @example 14
             */
            sent_today: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AuthController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["WhoAmIResponse"];
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AuthController_listTokens: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                /** @description active: usable now; revoked: revoked (expired or not); expired: reached its expiry unrevoked */
                status?: "active" | "revoked" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["MintedTokenRecordResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AuthController_mintToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MintStoreAdminTokenDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MintedTokenResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AuthController_revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The token's id (`jti` in the mint's answer and in the list) */
                jti: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MintedTokenRecordResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MetricsController_metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP dingtalk_notifications_pending Notifications waiting to be sent (pending or retrying)
                     *     # TYPE dingtalk_notifications_pending gauge
                     *     dingtalk_notifications_pending 0
                     */
                    "text/plain": string;
                };
            };
        };
    };
    HealthController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            /** @description The database does not answer */
            503: {
                headers: {
                    /** @description Seconds to wait before asking again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
        };
    };
    StreamStatusController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["StreamStatusResponse"];
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["MessageTemplateResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMessageTemplateDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MessageTemplateResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_previewDraft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreviewDraftTemplateDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["TemplatePreviewResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MessageTemplateResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMessageTemplateDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MessageTemplateResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DeletedResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MessageTemplateController_preview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The template */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreviewMessageTemplateDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["TemplatePreviewResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkAppController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["DingTalkAppResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkAppController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDingTalkAppDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DingTalkAppResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkAppController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DingTalkAppResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkAppController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDingTalkAppDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DingTalkAppResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkAppController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The app */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DeletedResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
                bot_type?: "webhook" | "stream";
                is_enabled?: boolean;
                /** @description Only the bots with this health (docs/bot-health.md) */
                health?: "healthy" | "degraded" | "broken";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["DingTalkBotResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDingTalkBotDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["SavedDingTalkBotResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DingTalkBotResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateDingTalkBotDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["SavedDingTalkBotResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DeletedResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["BotTestResultResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Not now: the `Retry-After` header says in how many seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DingTalkBotController_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["BotStatusResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    BatchSendController_send: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same body, from the same caller, within 24 hours, answers the first result again (the same ids; nothing is created or sent twice). The same key with another body: 422. While the first request with the key is still running: 409 with Retry-After. 1 to 255 printable ASCII characters, e.g. a UUID made once per operation, not per attempt. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchSendDto"];
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["BatchSendResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The Idempotency-Key was used for another request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    NotificationsController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
                /** @description First day, inclusive, in REPORT_TIMEZONE */
                date_from?: string;
                /** @description Last day, inclusive, in REPORT_TIMEZONE */
                date_to?: string;
                bot_id?: number;
                status?: "pending" | "retrying" | "sent" | "failed" | "merged" | "skipped";
                menu_report_id?: number;
                kind?: "menu_report" | "batch" | "digest" | "daily_summary" | "test" | "alert" | "reminder" | "escalation";
                /** @description Only reports' notifications whose kitchen confirmation is this (docs/confirmation.md) */
                confirmation?: "unconfirmed" | "confirmed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["NotificationResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    NotificationsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The notification */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["NotificationDetailResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    NotificationsController_resend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The notification */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["NotificationDetailResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MenuReportController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
                /** @description First day, inclusive, in REPORT_TIMEZONE */
                date_from?: string;
                /** @description Last day, inclusive, in REPORT_TIMEZONE */
                date_to?: string;
                /** @description Only reports whose kitchen has (not) confirmed them; reports that asked for none are left out */
                confirmation?: "unconfirmed" | "confirmed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["MenuReportResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MenuReportController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same body, from the same caller, within 24 hours, answers the first result again (the same ids; nothing is created or sent twice). The same key with another body: 422. While the first request with the key is still running: 409 with Retry-After. 1 to 255 printable ASCII characters, e.g. a UUID made once per operation, not per attempt. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMenuReportDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["CreatedMenuReportResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The Idempotency-Key was used for another request */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    MenuReportController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The report */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["MenuReportResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    DailySummaryController_preview: {
        parameters: {
            query?: {
                /** @description The day, in REPORT_TIMEZONE; default: today */
                date?: string;
            };
            header?: never;
            path: {
                /** @description The bot */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DailySummaryPreviewResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    BotHealthSettingsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["BotHealthSettingsResponse"];
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    BotHealthSettingsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateBotHealthSettingsDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["BotHealthSettingsResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AlertDestinationsController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["AlertDestinationResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AlertDestinationsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAlertDestinationDto"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["AlertDestinationResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AlertDestinationsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The destination */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["AlertDestinationResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AlertDestinationsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The destination */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAlertDestinationDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["AlertDestinationResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    AlertDestinationsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The destination */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["DeletedResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The token may not act on that store */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    BotAlertsController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
                bot_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["BotAlertResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    ConfirmationSettingsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The store (an admin: any; a store admin: its own) */
                store_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["ConfirmationSettingsResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    ConfirmationSettingsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The store (an admin: any; a store admin: its own) */
                store_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateConfirmationSettingsDto"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: components["schemas"]["ConfirmationSettingsResponse"];
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description No such resource among the stores the token can see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Body over 1 MiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description The body is not sent as application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
    StoreOverviewController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                store_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example 0
                         * @enum {integer}
                         */
                        code: 0;
                        /**
                         * @example success
                         * @enum {string}
                         */
                        msg: "success";
                        data: {
                            items: components["schemas"]["StoreOverviewResponse"][];
                            /** @example 42 */
                            total: number;
                            /** @example 1 */
                            page: number;
                            /** @example 20 */
                            page_size: number;
                        };
                    };
                };
            };
            /** @description Invalid input; `errors` names each wrong field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
            /** @description Missing, malformed, expired or badly signed bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelopeDoc"];
                };
            };
        };
    };
}
