import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import openapiTS, { astToString } from 'openapi-typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR, TEST_TMP_ROOT } from '../support/paths';
import { useTestApp } from '../support/use-test-app';

const run = promisify(execFile);
const require = createRequire(__filename);

/** The generated client types, committed so that a change of the API shows in review as a change of this file. */
export const CLIENT_TYPES = join(ROOT_DIR, 'test/client/api-schema.d.ts');
const CLIENT_TYPES_HEADER =
  '// Generated from /docs-json by openapi-typescript (test/e2e/openapi-contract.e2e-spec.ts). Do not edit:\n' +
  '// run `npm run api:types` after changing the API.\n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document is read as plain JSON
type Json = any;
const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  op: Json;
}

/** Generates the client types for a document, as `npm run api:types` writes them. */
export async function clientTypesFor(document: Json): Promise<string> {
  // defaultNonNullable: false — a field with a default may be left out of a request (openapi-typescript's default
  // would make every such field required, e.g. bot_type and is_enabled of a new bot).
  return CLIENT_TYPES_HEADER + astToString(await openapiTS(document, { defaultNonNullable: false }));
}

describe('the OpenAPI document (/docs-json) as a contract', () => {
  const { t } = useTestApp({
    simulator: true,
    env: (sim) => ({
      // The documented examples name DingTalk's real webhook origin; offline, the test button and delivery to
      // it fail fast and are answered as failures, which is all this test needs from them.
      DINGTALK_WEBHOOK_ORIGINS: `${sim.url},https://oapi.dingtalk.com`,
      DINGTALK_TIMEOUT_MS: '2000',
    }),
  });
  let doc: Json;
  let operations: Operation[];
  let ajv: Ajv;

  beforeAll(async () => {
    const response = await t.request('GET', '/docs-json', { token: null });
    expect(response.status).toBe(200);
    doc = response.body;
    operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] })),
    );
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('int32', true).addFormat('int64', true);
    ajv.addSchema(toJsonSchema({ components: doc.components }), 'openapi');
  });

  it('passes the Redocly CLI linter with its recommended rules: no error, no warning', async () => {
    const dir = join(TEST_TMP_ROOT, 'contract');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin/cli.js');
    const { stdout } = await run(
      process.execPath,
      [cli, 'lint', file, '--config', join(ROOT_DIR, 'redocly.yaml'), '--format', 'json'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? error.stderr ?? '',
    }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('types every property (no bare object, arrays say what they hold) and gives each an example or enum', () => {
    const untyped: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, Json>)) {
      for (const [property, value] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
        const where = `${name}.${property}`;
        if (value.$ref) continue;
        if (!value.type) untyped.push(`${where}: no type`);
        if (value.type === 'object' && !value.properties && !value.additionalProperties) {
          untyped.push(`${where}: bare object`);
        }
        if (value.type === 'array' && !value.items?.type && !value.items?.$ref) {
          untyped.push(`${where}: array of nothing`);
        }
      }
    }
    expect(untyped).toEqual([]);
  });

  it('documents /health and /metrics, a summary for every route, and the 401 of every /api/v1 route', () => {
    expect(doc.paths['/health'].get.summary).toEqual(expect.any(String));
    expect(doc.paths['/metrics'].get.responses['200'].content['text/plain'].schema).toEqual({
      type: 'string',
    });
    for (const { method, path, op } of operations) {
      expect(op.summary, `${method} ${path}`).toEqual(expect.any(String));
      if (path.startsWith('/api/v1/')) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses), `${method} ${path}`).toContain('401');
      } else {
        expect(op.security, `${method} ${path}`).toEqual([]);
      }
    }
  });

  it('answers every documented request example with a documented status and a body its schema describes', async () => {
    const tried: string[] = [];
    for (const { method, path, op } of inExampleOrder(operations)) {
      const url = withExampleParameters(path, op.parameters ?? []);
      const examples = Object.entries(
        (op.requestBody?.content?.['application/json']?.examples ?? { none: undefined }) as Record<
          string,
          Json
        >,
      );
      for (const [name, example] of examples) {
        const response = await t.request(method.toUpperCase(), url, {
          body: example?.value,
          token: op.security?.length ? undefined : null,
        });
        const where = `${method.toUpperCase()} ${url} (example ${name}) → ${response.status} ${response.text.slice(0, 300)}`;
        expect(Object.keys(op.responses), where).toContain(String(response.status));
        // The examples are there to be tried: each one works, it does not merely fail in a documented way.
        if (example) expect(response.status, where).toBeLessThan(300);
        expectDocumentedBody(op, response.status, response.headers.get('content-type'), response, where);
        tried.push(`${method} ${path} ${name}`);
      }
    }
    expect(tried.length).toBeGreaterThanOrEqual(operations.length);
    // The validator itself refuses what the document does not describe, so the checks above cannot pass vacuously.
    const created = compile(
      doc.paths['/api/v1/dingtalk-bots'].post.responses['201'].content['application/json'].schema,
    );
    expect(created({ code: 0, msg: 'success', data: { id: 1 } })).toBe(false);
    const attempt = compile({ $ref: '#/components/schemas/NotificationAttemptResponse' });
    const recorded = {
      at: '2026-12-01T08:00:00.000Z',
      outcome: 'ok',
      http_status: 200,
      errmsg: 'ok',
      latency_ms: 5,
    };
    expect(attempt({ ...recorded, errcode: 0, error_code: null })).toBe(true);
    expect(attempt({ ...recorded, errcode: '0', error_code: null })).toBe(false);
    expect(attempt({ ...recorded, errcode: 0, error_code: null, secret: 'x' })).toBe(false);
  });

  it('shows, as its error examples, what each route answers: 401 without a token, 404, and a malformed id', async () => {
    const examples = (op: Json, status: number): string[] =>
      Object.values(
        (op.responses[status]?.content?.['application/json']?.examples ?? {}) as Record<string, Json>,
      ).map((example) => example.value.msg as string);
    const digitsHidden = (text: string) => text.replace(/\d+/g, '#');
    for (const { method, path, op } of operations.filter((o) => o.path.startsWith('/api/v1/'))) {
      const body = op.requestBody ? {} : undefined;
      const unauthenticated = await t.request(method.toUpperCase(), path.replace('{id}', '1'), {
        token: null,
        body,
      });
      expect(unauthenticated.status, `${method} ${path}`).toBe(401);
      expect(examples(op, 401), `${method} ${path}`).toContain(unauthenticated.body.msg);
      if (!path.includes('{id}')) continue;

      const max =
        op.parameters.find((p: Json) => p.name === 'id').schema.format === 'int64'
          ? '9223372036854775807'
          : '2147483647';
      const missing = await t.request(method.toUpperCase(), path.replace('{id}', max), { body });
      expect(missing.status, `${method} ${path} ${missing.text}`).toBe(404);
      expect(examples(op, 404).map(digitsHidden), `${method} ${path}`).toContain(
        digitsHidden(missing.body.msg),
      );

      const malformed = await t.request(method.toUpperCase(), path.replace('{id}', '0x10'), { body });
      expect(malformed.status, `${method} ${path}`).toBe(400);
      expect(examples(op, 400), `${method} ${path}`).toContain(malformed.body.msg);
    }
  });

  it('generates client types that are current (npm run api:types) and a README walkthrough that compiles', async () => {
    const generated = await clientTypesFor(doc);
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(CLIENT_TYPES, generated);
    expect(
      readFileSync(CLIENT_TYPES, 'utf8') === generated,
      'test/client/api-schema.d.ts is out of date: run `npm run api:types` and commit it',
    ).toBe(true);
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
    const compiled = await run(process.execPath, [
      tsc,
      '-p',
      join(ROOT_DIR, 'test/client/tsconfig.json'),
    ]).then(
      () => 'compiled',
      (error: Error & { stdout?: string }) => error.stdout || error.message,
    );
    expect(compiled).toBe('compiled');
  });

  /** Creating routes first, then reads and changes, then actions on what exists, deletions last. */
  function inExampleOrder(list: Operation[]): Operation[] {
    const rank = ({ method, path }: Operation) =>
      method === 'post' && !path.includes('{')
        ? 0
        : method === 'get'
          ? 1
          : method === 'put'
            ? 2
            : method === 'post'
              ? 3
              : 4;
    return [...list].sort((a, b) => rank(a) - rank(b));
  }

  function withExampleParameters(path: string, parameters: Json[]): string {
    let url = path;
    const query = new URLSearchParams();
    for (const parameter of parameters) {
      const example = parameter.example ?? parameter.schema?.example;
      if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, String(example));
      else if (parameter.in === 'query' && example !== undefined) query.set(parameter.name, String(example));
    }
    return query.size > 0 ? `${url}?${query.toString()}` : url;
  }

  function expectDocumentedBody(
    op: Json,
    status: number,
    contentType: string | null,
    response: { body: unknown; text: string },
    where: string,
  ): void {
    const content = op.responses[String(status)].content as Record<string, Json>;
    const mediaType = Object.keys(content).find((type) => contentType?.startsWith(type));
    expect(mediaType, `${where}: content type ${contentType}`).toBeDefined();
    const validate = compile(content[mediaType!].schema);
    const body = mediaType === 'application/json' ? response.body : response.text;
    expect(validate(body), `${where}\n${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  const compiled = new Map<string, ValidateFunction>();
  function compile(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(schema, 'openapi'));
      compiled.set(key, validate);
    }
    return validate;
  }
});

/**
 * An OpenAPI 3.0 schema as JSON Schema for Ajv (which reads `nullable` itself): references point into the
 * document, and objects admit no property the document does not name (so a response that grew an undocumented
 * field fails here).
 */
function toJsonSchema(value: Json, refBase = ''): Json {
  if (Array.isArray(value)) return value.map((item) => toJsonSchema(item, refBase));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) out[key] = toJsonSchema(item, refBase);
  if (typeof out.$ref === 'string') out.$ref = `${refBase}${out.$ref}`;
  if (out.properties && out.additionalProperties === undefined && out.type === 'object') {
    out.additionalProperties = false;
  }
  return out;
}
