/**
 * A class used as an identity (a handler's key), never called. `Function`, because that is how TypeScript types
 * `instance.constructor`, which is how Nest's providers made by `useValue`/`useFactory` lead to their class.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ClassReference = Function;
