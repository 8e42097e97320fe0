import {
  Body,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  NotImplementedException,
  Param,
  Post,
  Query,
  Sse,
  UseGuards,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { LiveEvent } from '../dashboard-live.stream.js';
import { DashboardMessages } from '../dashboard.messages.js';
import type { OverviewView, TaskListView } from '../dashboard.reader.js';
import type { TaskPageView } from '../view/task-view.mapper.js';
import { DashboardActionGuard } from './dashboard-action.guard.js';
import { DashboardContext } from './dashboard.context.js';
import { parseBulkFilter, parseHandlerBody, parseTaskListQuery } from './dashboard-query.parser.js';

/**
 * The JSON API the pages use, under `{path}/api/` (documented in the README, for scripts too). GETs change
 * nothing; every POST is an action, behind DashboardActionGuard (read-only, same origin, anti-CSRF token).
 */
export class DashboardApiController {
  // The token named: a class without a decorator of its own gets no constructor type metadata.
  constructor(@Inject(DashboardContext) private readonly context: DashboardContext) {}

  @Get('api/overview')
  overview(): Promise<OverviewView> {
    return this.context.reader.overview();
  }

  @Get('api/tasks')
  tasks(@Query() query: Record<string, unknown>): Promise<TaskListView> {
    return this.context.reader.tasks(parseTaskListQuery(query));
  }

  @Get('api/tasks/:id')
  async task(@Param('id') id: string): Promise<TaskPageView> {
    const task = await this.context.reader.task(id);
    if (task === undefined) throw new NotFoundException(DashboardMessages.unknownTask(id));
    return task;
  }

  @Post('api/tasks/:id/cancel')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async cancel(@Param('id') id: string): Promise<{ ok: boolean }> {
    return { ok: await this.context.actions.cancel(id) };
  }

  @Post('api/tasks/:id/retry')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async retry(@Param('id') id: string): Promise<{ ok: boolean }> {
    return { ok: await this.context.actions.retry(id) };
  }

  @Post('api/tasks/:id/remove')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async remove(@Param('id') id: string): Promise<{ ok: boolean }> {
    return { ok: await this.context.actions.remove(id) };
  }

  @Post('api/bulk/retry')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async retryAll(@Body() body: unknown): Promise<{ retried: number }> {
    return { retried: await this.context.actions.retryAll(parseBulkFilter(body)) };
  }

  @Post('api/bulk/purge')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async purge(@Body() body: unknown): Promise<{ removed: number }> {
    return { removed: await this.context.actions.purge(parseBulkFilter(body)) };
  }

  @Post('api/pause')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async pause(@Body() body: unknown): Promise<{ ok: true }> {
    if (!(await this.context.actions.pause(parseHandlerBody(body))))
      throw new NotImplementedException(DashboardMessages.unsupported('pause'));
    return { ok: true };
  }

  @Post('api/resume')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  async resume(@Body() body: unknown): Promise<{ ok: true }> {
    if (!(await this.context.actions.resume(parseHandlerBody(body))))
      throw new NotImplementedException(DashboardMessages.unsupported('resume'));
    return { ok: true };
  }

  /** Server-sent events: `change` whenever the queue may look different (the page then reads the API again). */
  @Sse('api/events')
  events(): Observable<LiveEvent> {
    return this.context.live.stream();
  }
}
