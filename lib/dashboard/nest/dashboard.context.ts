import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import { TaskQueueError } from '../../errors/task-queue.error.js';
import type { ITaskStore } from '../../interfaces/task-store.interface.js';
import { TaskScheduler } from '../../nest/task-scheduler.service.js';
import { TASK_STORE } from '../../nest/task-queue.tokens.js';
import { DashboardActions } from '../dashboard.actions.js';
import { DashboardLiveStream } from '../dashboard-live.stream.js';
import type { ResolvedDashboardOptions } from '../dashboard-options.resolver.js';
import type { DashboardQueue, DashboardScheduler, DashboardStore } from '../dashboard-queue.js';
import { DashboardReader } from '../dashboard.reader.js';
import { TaskActivityRecorder } from '../view/task-activity.recorder.js';
import { DASHBOARD_OPTIONS } from './dashboard.tokens.js';

const NO_QUEUE =
  'TaskQueueDashboardModule needs the app to import TaskQueueModule.forRoot() (it shows that queue), and found none.';

/**
 * The dashboard's parts for the app's queue (TaskQueueModule's scheduler and store, found wherever that module
 * is), made at module init; the activity chart listens to the queue's events from then on.
 */
@Injectable()
export class DashboardContext implements OnModuleInit, OnApplicationShutdown {
  reader!: DashboardReader;
  actions!: DashboardActions;
  live!: DashboardLiveStream;
  private activity: Subscription | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(DASHBOARD_OPTIONS) readonly options: ResolvedDashboardOptions,
  ) {}

  onModuleInit(): void {
    let scheduler: TaskScheduler;
    let store: ITaskStore;
    try {
      scheduler = this.moduleRef.get(TaskScheduler, { strict: false });
      store = this.moduleRef.get<ITaskStore>(TASK_STORE, { strict: false });
    } catch (error) {
      throw new TaskQueueError(NO_QUEUE, { cause: error });
    }
    const queue: DashboardQueue = {
      scheduler: scheduler as unknown as DashboardScheduler,
      store: store as DashboardStore,
    };
    const recorder = new TaskActivityRecorder();
    this.activity = scheduler.events$.subscribe((event) => recorder.record(event));
    this.reader = new DashboardReader(queue, this.options, recorder);
    this.actions = new DashboardActions(queue);
    this.live = new DashboardLiveStream(queue.scheduler);
  }

  /** Ends the live streams, so the HTTP server can close. */
  beforeApplicationShutdown(): void {
    this.live?.close();
  }

  onApplicationShutdown(): void {
    this.activity?.unsubscribe();
  }
}
