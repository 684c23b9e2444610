import { parentPort } from 'node:worker_threads';
import { openMarcFile } from '../../src/services/marc/marc-file';
import { readMarcRecord } from '../../src/services/marc/read-marc';

// The reading half of the import (the CPU work: gunzip, split, decode, MARC-8, MARCXML) in a
// thread of its own, so that a reader caught in an endless loop can be stopped and reported
// rather than hanging the test run with it.

export interface ReadOutcome {
  ok: boolean;
  message?: string;
  records?: number;
  read?: number;
}

parentPort!.on('message', (bytes: Uint8Array) => {
  const file = openMarcFile(bytes);
  if (!file.ok) {
    parentPort!.postMessage({ ok: false, message: file.refusal.message } satisfies ReadOutcome);
    return;
  }
  let read = 0;
  file.value.pieces.forEach((piece, i) => {
    if (readMarcRecord(piece, i + 1).ok) read++;
  });
  parentPort!.postMessage({ ok: true, records: file.value.pieces.length, read } satisfies ReadOutcome);
});
