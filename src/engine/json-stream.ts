/**
 * Splits the progress stream of the Engine API (build, pull, push) into JSON messages.
 *
 * The engine writes one JSON object per message, usually followed by `\r\n`, but chunk
 * boundaries fall anywhere and some engines omit the separator, so the splitter tracks
 * braces and strings instead of splitting on newlines.
 */
export class JsonMessageSplitter {
  private buffer = '';

  /** Adds a chunk and returns the complete messages it finished. */
  push(chunk: string): unknown[] {
    this.buffer += chunk;
    const messages: unknown[] = [];
    let start = -1;
    let depth = 0;
    let inString = false;
    let escaped = false;
    let consumed = 0;
    for (let index = 0; index < this.buffer.length; index += 1) {
      const character = this.buffer[index];
      if (inString) {
        if (escaped) escaped = false;
        else if (character === '\\') escaped = true;
        else if (character === '"') inString = false;
        continue;
      }
      if (character === '"') inString = true;
      else if (character === '{') {
        if (depth === 0) start = index;
        depth += 1;
      } else if (character === '}' && depth > 0) {
        depth -= 1;
        if (depth === 0) {
          messages.push(parseMessage(this.buffer.slice(start, index + 1)));
          consumed = index + 1;
        }
      } else if (depth === 0) {
        consumed = index + 1;
      }
    }
    this.buffer = this.buffer.slice(consumed);
    return messages;
  }

  /** Text left after the last complete message; non-empty means the stream was cut. */
  get remainder(): string {
    return this.buffer.trim();
  }
}

function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { stream: text };
  }
}

/** The fields of an Engine API progress message that the library reads. */
export interface ProgressMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string };
}

export function asProgressMessage(value: unknown): ProgressMessage {
  return typeof value === 'object' && value !== null ? (value as ProgressMessage) : {};
}
