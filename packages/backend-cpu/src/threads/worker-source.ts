import { ARG_COUNT, ARGS, CLAIM, DONE, FAILED, KERNEL, MESSAGE_UNITS, OPEN, READY, SEQ, SPINS, STOP, TAKEN } from './control.js';

/**
 * A worker's whole program, as a classic script: it instantiates the kernels on the shared memory, marks itself
 * ready, then runs the calls handed to its slot until told to stop. It holds no JavaScript kernels, only Wasm ones,
 * so the caller and every worker run the same compiled code, and results do not depend on who ran which part.
 * A string (not a file) so that Node, browsers and bundlers all start it without resolving a path.
 */
export const WORKER_SOURCE = `'use strict';
function start({ kernels, memory, control, message, base }) {
  const fns = kernels.map(({ module, name }) => new WebAssembly.Instance(module, { env: { memory } }).exports[name]);
  Atomics.store(control, base + ${READY}, 1);
  Atomics.notify(control, base + ${READY});
  let seen = 0;
  for (;;) {
    for (let spin = 0; spin < ${SPINS} && Atomics.load(control, base + ${SEQ}) === seen; spin++);
    Atomics.wait(control, base + ${SEQ}, seen);
    seen = Atomics.load(control, base + ${SEQ});
    const kernel = control[base + ${KERNEL}];
    if (kernel === ${STOP}) return;
    // The caller may have taken the call back (this worker woke too late): then it is not this worker's to run.
    if (Atomics.compareExchange(control, base + ${CLAIM}, ${OPEN}, ${TAKEN}) !== ${OPEN}) continue;
    const args = [];
    for (let i = 0; i < control[base + ${ARG_COUNT}]; i++) args.push(control[base + ${ARGS} + i]);
    try {
      fns[kernel](...args);
    } catch (error) {
      // The first failure of a call leaves its text for the caller, which raises it.
      if (Atomics.compareExchange(control, ${FAILED}, 0, 1) === 0) {
        const text = String(error).slice(0, ${MESSAGE_UNITS} - 1);
        message[0] = text.length;
        for (let i = 0; i < text.length; i++) message[i + 1] = text.charCodeAt(i);
      }
    }
    Atomics.add(control, ${DONE}, 1);
    Atomics.notify(control, ${DONE});
  }
}
// Node's eval worker gets its start message as workerData (through getBuiltinModule, so bundlers see no import).
if (typeof process === 'object' && process.versions?.node) start(process.getBuiltinModule('worker_threads').workerData);
else self.onmessage = (event) => start(event.data);
`;

