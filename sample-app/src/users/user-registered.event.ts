/** Published by UsersService after a user is saved; the onboarding listener fans it out into tasks. */
export class UserRegistered {
  constructor(
    readonly userId: string,
    readonly email: string,
    readonly name: string,
  ) {}
}
