/** An error's message for a log line (a thrown non-Error as its string). */
export const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));
