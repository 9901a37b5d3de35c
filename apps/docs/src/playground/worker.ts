// The playground's Web Worker: runs one script (see run-request.ts) off the page's thread.
import * as torch from '@descent/torch';
import { handleRunRequest } from './run-request.js';
import type { RunRequest, WorkerMessage } from './protocol.js';

const scope = self as unknown as { onmessage: ((event: MessageEvent<RunRequest>) => void) | null; postMessage(message: WorkerMessage): void };

scope.onmessage = (event) => {
  if (event.data.type === 'run') void handleRunRequest(event.data, torch, (message) => scope.postMessage(message));
};
