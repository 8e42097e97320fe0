import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { parseCreateUser } from './create-user.dto.js';
import { UsersService } from './users.service.js';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** POST /users {"email","name"}: registers; the welcome email follows after WELCOME_DELAY_MS. */
  @Post()
  register(@Body() body: unknown) {
    return this.users.register(parseCreateUser(body));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  /** POST /users/:id/unsubscribe: the pending welcome email is cancelled and never sent. */
  @Post(':id/unsubscribe')
  @HttpCode(200)
  unsubscribe(@Param('id') id: string) {
    return this.users.unsubscribe(id);
  }
}
