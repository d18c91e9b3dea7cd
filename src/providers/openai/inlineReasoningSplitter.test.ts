import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/streamEvent.js';
import { InlineReasoningSplitter } from './inlineReasoningSplitter.js';
import { splitInlineReasoning } from './splitInlineReasoning.js';

interface Fed {
  events: StreamEvent[];
  reasoning: string;
  text: string;
}

/** Feeds the pieces and flushes, checking on the way that each call reports answer text exactly when it emitted some. */
function feed(pieces: readonly string[]): Fed {
  const splitter = new InlineReasoningSplitter(0);
  const events: StreamEvent[] = [];
  const step = (call: (sink: StreamEvent[]) => boolean) => {
    const produced: StreamEvent[] = [];
    const saidText = call(produced);
    expect(saidText).toBe(produced.some((event) => event.type === 'text-delta'));
    events.push(...produced);
  };
  for (const piece of pieces) step((sink) => splitter.push(piece, null, sink));
  step((sink) => splitter.flush(sink));
  let reasoning = '';
  let text = '';
  for (const event of events) {
    if (event.type === 'reasoning-delta') reasoning += event.text;
    else if (event.type === 'text-delta') text += event.text;
    else throw new Error(`unexpected ${event.type}`);
  }
  return { events, reasoning, text };
}

/** What the non-streaming split makes of the whole content. */
function expected(content: string): { reasoning: string; text: string } {
  return splitInlineReasoning(content) ?? { reasoning: '', text: content };
}

function expectWellFormed(fed: Fed): void {
  // No empty events, and no reasoning after the answer began.
  for (const event of fed.events) expect(event).not.toMatchObject({ text: '' });
  const firstText = fed.events.findIndex((event) => event.type === 'text-delta');
  if (firstText !== -1) expect(fed.events.slice(firstText).every((event) => event.type === 'text-delta')).toBe(true);
}

const SAMPLES: readonly string[] = [
  '<think>abc</think>\n\nanswer',
  '<think>\nLet me see: <b>1</b> < 2 & a </ b.\n</think>\n\nThe answer is 4.',
  '  \n<think>abc</think>answer',
  '<think>unterminated </thi',
  '<think>unterminated',
  'No think here, <think>later</think> not split.',
  '\n\nplain text after leading whitespace',
  '<thinking>not ours</thinking>',
  '<think',
  '<think></think>',
  '<think>a</think> \n ',
  '<<think>a</think>b',
  '<think>a<</think>b',
  '<think>a</</think>b </think> c',
  ' ',
];

describe('InlineReasoningSplitter: streamed content splits as the whole content would', () => {
  it.each(SAMPLES)('in one piece: %j', (sample) => {
    const fed = feed([sample]);
    expect({ reasoning: fed.reasoning, text: fed.text }).toEqual(expected(sample));
    expectWellFormed(fed);
  });

  it.each(SAMPLES)('cut at every position, and at every pair of positions: %j', (sample) => {
    const want = expected(sample);
    for (let first = 0; first <= sample.length; first++) {
      for (let second = first; second <= sample.length; second++) {
        const pieces = [sample.slice(0, first), sample.slice(first, second), sample.slice(second)].filter((piece) => piece !== '');
        const fed = feed(pieces);
        expect({ reasoning: fed.reasoning, text: fed.text, pieces }).toEqual({ ...want, pieces });
        expectWellFormed(fed);
      }
    }
  });

  it.each(SAMPLES)('one character per delta: %j', (sample) => {
    const fed = feed([...sample]);
    expect({ reasoning: fed.reasoning, text: fed.text }).toEqual(expected(sample));
    expectWellFormed(fed);
  });
});

describe('InlineReasoningSplitter: event by event', () => {
  function pushAll(splitter: InlineReasoningSplitter, pieces: readonly [string, unknown][]): StreamEvent[][] {
    return pieces.map(([text, logprobs]) => {
      const events: StreamEvent[] = [];
      splitter.push(text, logprobs, events);
      return events;
    });
  }

  it('passes content that does not open with <think> through unchanged, the same string, one event per delta', () => {
    const splitter = new InlineReasoningSplitter(2);
    const first = 'The answer';
    const second = ' is <think>4</think>.';
    const [one, two] = pushAll(splitter, [
      [first, { content: [1] }],
      [second, null],
    ]);
    expect(one).toEqual([{ type: 'text-delta', choice: 2, text: first, logprobs: { content: [1] } }]);
    expect(two).toEqual([{ type: 'text-delta', choice: 2, text: second }]);
    expect((one![0] as { text: string }).text).toBe(first);
    const rest: StreamEvent[] = [];
    expect(splitter.flush(rest)).toBe(false);
    expect(rest).toEqual([]);
  });

  it('holds back leading whitespace and a partial tag only until they cannot open a block, then sends each delta with its logprobs', () => {
    const splitter = new InlineReasoningSplitter(0);
    expect(pushAll(splitter, [[' \n', 'lp1'], ['<th', 'lp2'], ['e end', 'lp3'], [' more', 'lp4']])).toEqual([
      [],
      [],
      [
        { type: 'text-delta', choice: 0, text: ' \n', logprobs: 'lp1' },
        { type: 'text-delta', choice: 0, text: '<th', logprobs: 'lp2' },
        { type: 'text-delta', choice: 0, text: 'e end', logprobs: 'lp3' },
      ],
      [{ type: 'text-delta', choice: 0, text: ' more', logprobs: 'lp4' }],
    ]);
  });

  it('holds back inside the block only a trailing piece that could start </think>', () => {
    const splitter = new InlineReasoningSplitter(0);
    expect(pushAll(splitter, [['<thi', null], ['nk>one <', null], ['b> two </', null], ['th', null], ['em', null], ['</th', null], ['ink>', null], ['\n', null], ['\n', null], ['Four', null]])).toEqual([
      [],
      [{ type: 'reasoning-delta', choice: 0, text: 'one ' }],
      [{ type: 'reasoning-delta', choice: 0, text: '<b> two ' }],
      [],
      [{ type: 'reasoning-delta', choice: 0, text: '</them' }],
      [],
      [],
      [],
      [],
      [{ type: 'text-delta', choice: 0, text: 'Four' }],
    ]);
  });

  it('gives the answer text of a delta that closes the block that delta\'s logprobs; reasoning-only deltas lose theirs', () => {
    const splitter = new InlineReasoningSplitter(0);
    expect(pushAll(splitter, [['<think>', 'lp1'], ['hmm', 'lp2'], ['</think>\n\nYes', 'lp3'], ['!', 'lp4']])).toEqual([
      [],
      [{ type: 'reasoning-delta', choice: 0, text: 'hmm' }],
      [{ type: 'text-delta', choice: 0, text: 'Yes', logprobs: 'lp3' }],
      [{ type: 'text-delta', choice: 0, text: '!', logprobs: 'lp4' }],
    ]);
  });

  it('flushes an unterminated block\'s held tail as reasoning, and held opening text as text', () => {
    const cut = new InlineReasoningSplitter(0);
    const cutEvents: StreamEvent[] = [];
    cut.push('<think>almost</thi', null, cutEvents);
    expect(cut.flush(cutEvents)).toBe(false);
    expect(cutEvents).toEqual([
      { type: 'reasoning-delta', choice: 0, text: 'almost' },
      { type: 'reasoning-delta', choice: 0, text: '</thi' },
    ]);

    const partial = new InlineReasoningSplitter(0);
    const partialEvents: StreamEvent[] = [];
    partial.push('\n<thin', 'lp', partialEvents);
    expect(partialEvents).toEqual([]);
    expect(partial.flush(partialEvents)).toBe(true);
    expect(partialEvents).toEqual([{ type: 'text-delta', choice: 0, text: '\n<thin', logprobs: 'lp' }]);
  });
});
