import { BadRequestException } from '@nestjs/common';

export interface CreateUserDto {
  email: string;
  name: string;
}

/** Checks a POST /users body (the sample has no validation library). */
export function parseCreateUser(body: unknown): CreateUserDto {
  const { email, name } = (body ?? {}) as Record<string, unknown>;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))
    throw new BadRequestException('email must be an email address');
  if (name !== undefined && typeof name !== 'string') throw new BadRequestException('name must be a string');
  return { email, name: name || email.split('@')[0]! };
}
