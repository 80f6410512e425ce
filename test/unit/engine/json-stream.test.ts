import { describe, expect, it } from 'vitest';
import { JsonMessageSplitter } from '../../../src/engine/json-stream.js';

function splitAll(chunks: string[]): { messages: unknown[]; remainder: string } {
  const splitter = new JsonMessageSplitter();
  const messages = chunks.flatMap((chunk) => splitter.push(chunk));
  return { messages, remainder: splitter.remainder };
}

describe('JsonMessageSplitter', () => {
  const stream = '{"stream":"Step 1/2 : FROM debian\\n"}\r\n{"aux":{"ID":"sha256:abc"}}\r\n{"stream":"a } { \\" quote"}\r\n';
  const expected = [{ stream: 'Step 1/2 : FROM debian\n' }, { aux: { ID: 'sha256:abc' } }, { stream: 'a } { " quote' }];

  it('splits messages separated by CRLF', () => {
    expect(splitAll([stream])).toEqual({ messages: expected, remainder: '' });
  });

  it('splits at every chunk boundary', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(splitAll([stream.slice(0, cut), stream.slice(cut)]).messages).toEqual(expected);
    }
  });

  it('splits one character at a time', () => {
    expect(splitAll([...stream]).messages).toEqual(expected);
  });

  it('splits messages without a separator', () => {
    expect(splitAll(['{"a":1}{"b":2}']).messages).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps a cut message as remainder', () => {
    const result = splitAll(['{"a":1}\n{"b":']);
    expect(result.messages).toEqual([{ a: 1 }]);
    expect(result.remainder).toBe('{"b":');
  });

  it('keeps escaped backslashes before quotes', () => {
    expect(splitAll(['{"stream":"C:\\\\"}{"x":1}']).messages).toEqual([{ stream: 'C:\\' }, { x: 1 }]);
  });
});
