import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../support/paths';

const read = (file: string) => readFileSync(join(ROOT_DIR, file), 'utf8');

describe('what the README and .env.example promise about setting the service up', () => {
  it('names every environment variable the configuration reads, in the table and in .env.example', () => {
    const source = read('src/config/load-config.ts');
    const variables = [...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((match) => match[1]);
    expect(variables).toContain('REPORT_TIMEZONE');
    const readme = read('README.md');
    const example = read('.env.example');
    for (const name of new Set(variables)) {
      expect(readme, `README table row for ${name}`).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
      expect(example, `.env.example line for ${name}`).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
    }
  });

  it('states one minimum Node version in package.json, the Dockerfile and the quick start', () => {
    // engines.node is the oldest Node the suite passes on (20.19); the Docker image and the quick start recommend
    // one LTS at or above it, and the quick start names the minimum too.
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = /^>=(\d+)\.(\d+)$/.exec(engines);
    expect(minimum, `engines.node is ${engines}`).not.toBeNull();
    const [, major, minor] = minimum!;
    const images = [...read('Dockerfile').matchAll(/^FROM node:(\d+)-/gm)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(new Set(images).size, 'one Node version in the Dockerfile').toBe(1);
    const recommended = images[0];
    expect(Number(recommended)).toBeGreaterThanOrEqual(Number(major));
    const readme = read('README.md');
    expect(readme).toContain(`Node ${recommended} LTS or newer`);
    expect(readme).toContain(`Node ${major}.${minor}`);
  });
});
