import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DashboardMessages } from '../dashboard.messages.js';
import type { ResolvedDashboardOptions } from '../dashboard-options.resolver.js';
import { csrfMatches, isCrossSite } from './dashboard-csrf.js';
import { DASHBOARD_OPTIONS } from './dashboard.tokens.js';

/**
 * On every action (POST), after the app's own guards: refuses it when the dashboard is read-only, when it comes
 * from another site, or without the anti-CSRF token. GETs never change anything, so they need none of this.
 */
@Injectable()
export class DashboardActionGuard implements CanActivate {
  constructor(@Inject(DASHBOARD_OPTIONS) private readonly options: ResolvedDashboardOptions) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.options.readOnly) throw new ForbiddenException(DashboardMessages.readOnly());
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (isCrossSite(headers)) throw new ForbiddenException(DashboardMessages.crossSite());
    if (!csrfMatches(headers)) throw new ForbiddenException(DashboardMessages.badToken());
    return true;
  }
}
