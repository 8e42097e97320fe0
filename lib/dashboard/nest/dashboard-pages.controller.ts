import { Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DASHBOARD_SCRIPT } from '../client/dashboard.client.js';
import { DASHBOARD_ICON, DASHBOARD_STYLES } from '../client/dashboard.styles.js';
import { renderPageShell, type DashboardPage } from '../view/page-shell.html.js';
import { csrfCookieOf, csrfSetCookie, newCsrfToken } from './dashboard-csrf.js';
import { DashboardContext } from './dashboard.context.js';

const HTML = 'text/html; charset=utf-8';

/**
 * The pages (their URLs are a contract: `{path}`, `{path}/tasks?status=&handler=&id=`, `{path}/tasks/{id}`) and
 * the two assets they load. Mounted at the configured path by TaskQueueDashboardModule.forRoot().
 */
export class DashboardPagesController {
  // Tokens named: a class without a decorator of its own gets no constructor type metadata.
  constructor(
    @Inject(DashboardContext) private readonly context: DashboardContext,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @Header('Content-Type', HTML)
  overview(@Req() request: unknown, @Res({ passthrough: true }) response: unknown): string {
    return this.page(request, response, 'overview', (path) => path);
  }

  @Get('tasks')
  @Header('Content-Type', HTML)
  tasks(@Req() request: unknown, @Res({ passthrough: true }) response: unknown): string {
    return this.page(request, response, 'tasks', (path) => path.slice(0, path.lastIndexOf('/tasks')));
  }

  @Get('tasks/:id')
  @Header('Content-Type', HTML)
  task(@Param('id') id: string, @Req() request: unknown, @Res({ passthrough: true }) response: unknown): string {
    return this.page(request, response, 'task', (path) => path.slice(0, path.lastIndexOf('/tasks/')), id);
  }

  @Get('assets/dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return DASHBOARD_SCRIPT;
  }

  @Get('assets/dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  styles(): string {
    return DASHBOARD_STYLES;
  }

  @Get('assets/favicon.svg')
  @Header('Content-Type', 'image/svg+xml')
  icon(): string {
    return DASHBOARD_ICON;
  }

  /** The shell, with the dashboard's base path (from the URL asked, so any global prefix is in it) and a CSRF cookie. */
  private page(
    request: unknown,
    response: unknown,
    page: DashboardPage,
    baseOf: (path: string) => string,
    taskId?: string,
  ): string {
    const adapter = this.adapterHost.httpAdapter;
    const path = adapter.getRequestUrl(request).split('?')[0]!.replace(/\/+$/, '');
    const base = baseOf(path) || this.context.options.path;
    const headers = (request as { headers: Record<string, string | undefined> }).headers;
    let token = csrfCookieOf(headers);
    if (token === undefined) {
      token = newCsrfToken();
      adapter.setHeader(response, 'Set-Cookie', csrfSetCookie(token, base));
    }
    return renderPageShell({ base, page, taskId, readOnly: this.context.options.readOnly, csrfToken: token });
  }
}
