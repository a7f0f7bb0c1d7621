// Preloaded into the Prisma CLI (node --require). Prisma's WebAssembly schema engine arms a
// 10-second safety timer per operation and leaves it pending after the operation finished,
// which kept every migrate command alive for 10 s after its work was done. Long timers are
// unref'd so the process exits as soon as its real work (sockets, child processes) is done.
const LONG_TIMER_MS = 5000;
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = setTimeoutOriginal(callback, delay, ...args);
  if (typeof delay === "number" && delay >= LONG_TIMER_MS && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
if (!process.env.CHECKPOINT_DISABLE) process.env.CHECKPOINT_DISABLE = "1";
