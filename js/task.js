// Runs the wasm modules' calls that wait (src/browser/task.rs): each is a Task, stepped each
// time the promise it waits for settles, with what it settled with.

// The call's promise. It starts a microtask later, as a promise's callback would. A trap in the
// module (a WebAssembly.RuntimeError, the only thing a step throws) is raised as an uncaught
// error and the call never settles: errors.js's guard then rejects every call still running.
export async function runTask(task) {
  let settled = [true];
  try {
    await null;
    for (let waiting; (waiting = task.step(...settled)); ) settled = await waiting.then((value) => [true, value], (error) => [false, error]);
  } catch (trap) {
    queueMicrotask(() => {
      throw trap;
    });
    return NEVER;
  }
  return task.outcome();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const NEVER = new Promise(() => {});
