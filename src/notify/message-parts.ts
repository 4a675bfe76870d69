/**
 * DingTalk refuses a message body over 20,000 bytes (errcode 460101, docs/dingtalk/custom-robot.md): such a message
 * is sent in numbered parts instead. A part's text is kept under 18,000 bytes as JSON, leaving room for the title, the
 * @mentions and the envelope of the larger of the message bodies (work notification, group message).
 */
export const PART_BUDGET_BYTES = 18_000;

export interface MessagePart {
  title: string;
  content: string;
}

/** Size of a text as it travels: JSON-escaped (a newline costs two bytes), UTF-8. */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

/** Cuts a text into chunks within the budget, at line ends where it can, inside a line only when it must. */
export function splitText(text: string, budget = PART_BUDGET_BYTES): string[] {
  if (jsonBytes(text) <= budget) return [text];
  const chunks: string[] = [];
  // null: nothing collected yet (an empty string is a collected empty line).
  let current: string | null = null;
  const push = () => {
    if (current !== null) chunks.push(current);
    current = null;
  };
  for (const line of text.split('\n')) {
    const candidate: string = current === null ? line : `${current}\n${line}`;
    if (jsonBytes(candidate) <= budget) {
      current = candidate;
      continue;
    }
    push();
    if (jsonBytes(line) <= budget) {
      current = line;
      continue;
    }
    // One line over the budget: cut it by characters (never inside a surrogate pair).
    for (const char of line) {
      if (current !== null && jsonBytes(current + char) > budget) push();
      current = (current ?? '') + char;
    }
  }
  push();
  return chunks;
}

/** The parts of a message, each titled and headed `（i/n）` when there is more than one. */
export function messageParts(title: string, content: string, budget = PART_BUDGET_BYTES): MessagePart[] {
  const header = (index: number, count: number) => `（${index}/${count}）`;
  // Room for the part header line, e.g. "（12/12）\n".
  const chunks = splitText(content, budget - 32);
  if (chunks.length === 1) return [{ title, content }];
  return chunks.map((chunk, index) => {
    const label = header(index + 1, chunks.length);
    return { title: `${title}${label}`.slice(0, 200), content: `${label}\n${chunk}` };
  });
}
