import type { StoreSignal } from '../../interfaces/task-store.interface.js';

const WAKE_NOW: StoreSignal = Object.freeze({ type: 'wake' });

/** The in-memory store's signals to the workers that share it, delivered synchronously. */
export class MemorySignals {
  private listeners: ((signal: StoreSignal) => void)[] = [];

  subscribe(listener: (signal: StoreSignal) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Work becomes claimable in `inMs` (Infinity: none). */
  wake(inMs: number): void {
    if (inMs === Infinity || this.listeners.length === 0) return;
    this.emit(inMs <= 0 ? WAKE_NOW : { type: 'wake', inMs });
  }

  /** A watched task finished (waitFor). */
  finished(taskId: string): void {
    this.emit({ type: 'finished', taskId });
  }

  cancel(taskId: string): void {
    this.emit({ type: 'cancel', taskId });
  }

  private emit(signal: StoreSignal): void {
    for (const listener of this.listeners) listener(signal);
  }
}
