import { Writable } from 'node:stream';

/** Collects every log line the application writes, so tests can assert that no secret reaches the log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  private partial = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line !== ''));
    if (process.env.TEST_LOG) for (const line of parts) if (line) process.stdout.write(`${line}\n`);
    callback();
  }

  text(): string {
    return this.lines.join('\n') + this.partial;
  }

  /** Parsed lines whose message contains `fragment`. */
  find(fragment: string): Array<Record<string, unknown>> {
    return this.lines
      .filter((line) => line.includes(fragment))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
