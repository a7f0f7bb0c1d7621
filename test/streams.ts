/** A request body of `chunks` chunks of 64 KiB that counts how much of it was read, and whether it was cancelled. */
export function countingBody(chunks: number): {
  stream: ReadableStream<Uint8Array>;
  state: { pulled: number; cancelled: boolean };
} {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunks) return controller.close();
      state.pulled += 1;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** 64 MiB in 64 KiB chunks. */
export const SIXTY_FOUR_MB_CHUNKS = 1024;
