import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readParams } from './params';
import { writeResults } from './report';

describe('writeResults (the delivery benchmark’s results file)', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  function written(serviceNodeFlags: string[] | null): Record<string, unknown> {
    const root = mkdtempSync(join(tmpdir(), 'delivery-results-'));
    roots.push(root);
    const file = writeResults(
      root,
      readParams({ DB: 'embedded' }),
      serviceNodeFlags,
      [],
      { before: [1], after: [1] },
      new Date('2026-12-07T23:00:00Z'),
      'table',
    );
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  }

  it('records the flags the service ran with next to the parameters, so that an A/B of flags tells apart', () => {
    const document = written(['--max-semi-space-size=8']);
    expect(document.service_node_flags).toEqual(['--max-semi-space-size=8']);
    const keys = Object.keys(document);
    expect(keys.indexOf('service_node_flags')).toBe(keys.indexOf('params') + 1);
    expect(written(null).service_node_flags).toBeNull();
  });
});
