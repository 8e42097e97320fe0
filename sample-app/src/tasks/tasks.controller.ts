import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { TaskScheduler, TaskStatus } from 'nest-task-queue';
import { toTaskView } from './task-view.js';

const STATUSES = Object.values(TaskStatus);

/** Inspection: one task by id, or recent tasks by status and handler. */
@Controller('tasks')
export class TasksController {
  constructor(private readonly scheduler: TaskScheduler) {}

  /** GET /tasks?status=failed&handler=send-data-to-api&limit=20 (newest first) */
  @Get()
  async list(@Query('status') status?: string, @Query('handler') handler?: string, @Query('limit') limit?: string) {
    const statuses = status?.split(',');
    const unknown = statuses?.find((s) => !STATUSES.includes(s as TaskStatus));
    if (unknown !== undefined)
      throw new BadRequestException(`status must be one of ${STATUSES.join(', ')}; got "${unknown}"`);
    const max = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(max) || max < 1)
      throw new BadRequestException(`limit must be an integer from 1 up; got "${limit}"`);
    const tasks = await this.scheduler.listTasks({ status: statuses as TaskStatus[] | undefined, handler, limit: max });
    return { counts: await this.scheduler.counts(), tasks: tasks.map(toTaskView) };
  }

  /** GET /tasks/recurring: the recurring schedules (cron or every), with their next and last run. */
  @Get('recurring')
  recurring() {
    return this.scheduler.listRecurring();
  }

  /** GET /tasks/:id: status, attempts, last error, result. */
  @Get(':id')
  async get(@Param('id') id: string) {
    const task = await this.scheduler.getTask(id);
    if (task === undefined) throw new NotFoundException(`No task ${id}`);
    return toTaskView(task);
  }
}
