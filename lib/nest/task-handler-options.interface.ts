import type { TaskHandlerDefaults } from '../engine/handler-registry.js';

/** Options of `@TaskHandler({...})`. Schedule options override the defaults; these override the module's. */
export interface TaskHandlerOptions extends TaskHandlerDefaults {
  /** The name tasks use to find this handler. Default: the class name. Unique in the application. */
  name?: string;
}
