import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  decodeFrame,
  decodeServerFrame,
  encodeAwarenessStates,
  encodeControl,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2Update,
  encodeSyncUpdate,
  MalformedFrameError,
} from './codec.ts';

const docWithText = () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello');
  return doc;
};

describe('wire codec', () => {
  it('decodes what it encodes, for every message a client sends', () => {
    const doc = docWithText();
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeFrame(encodeSyncStep1(doc))).toEqual({ type: 'sync-step-1', stateVector: Y.encodeStateVector(doc) });
    expect(decodeFrame(encodeSyncStep2Update(update))).toEqual({ type: 'sync-step-2', update });
    expect(decodeFrame(encodeSyncUpdate(update))).toEqual({ type: 'sync-update', update });
    expect(decodeFrame(encodeQueryAwareness())).toEqual({ type: 'query-awareness' });
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ viewing: 'x' });
    const frame = encodeAwarenessStates(awareness, [doc.clientID]);
    expect(decodeFrame(frame)).toEqual({
      type: 'awareness',
      update: awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
    });
    awareness.destroy();
  });

  it('a step 2 from a doc and one from ready bytes are the same frame', () => {
    const doc = docWithText();
    const empty = Y.encodeStateVector(new Y.Doc());
    expect(encodeSyncStep2(doc, empty)).toEqual(encodeSyncStep2Update(Y.encodeStateAsUpdate(doc, empty)));
  });

  it('reads control messages only as server frames', () => {
    const error = encodeControl({ type: 'error', code: 4400, reason: 'x' });
    expect(decodeServerFrame(error)).toEqual({ type: 'control', message: { type: 'error', code: 4400, reason: 'x' } });
    expect(() => decodeFrame(error)).toThrow(new MalformedFrameError('unknown message type 100'));
  });

  it('[SRV-4] says why a frame is malformed', () => {
    const cases: Array<[number[], string]> = [
      [[], 'unreadable message type'],
      [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 'unreadable message type'],
      [[42, 1, 2, 3], 'unknown message type 42'],
      [[0, 7, 1, 0], 'unknown sync step 7'],
      [[0, 2, 200, 1, 2], 'truncated update'],
      [[1, 5, 1], 'truncated awareness message'],
      [[0, 0, 3, 0xff, 0xff, 0xff], 'bad state vector'],
    ];
    for (const [bytes, reason] of cases) {
      expect(() => decodeFrame(new Uint8Array(bytes)), bytes.join(',')).toThrow(new MalformedFrameError(reason));
    }
  });
});
