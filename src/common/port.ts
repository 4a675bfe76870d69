import { ExistingProvider, Type } from '@nestjs/common';

/**
 * The injection token of a port: an interface that the module needing something declares (with this token) and
 * the module owning it implements, without either importing the other. `T` is only a type: it lets `bindPort`
 * check that the implementation fits.
 */
export type Port<T> = symbol & { readonly __port?: T };

export function port<T>(name: string): Port<T> {
  return Symbol(name);
}

/**
 * Binds a port to the provider that implements it (an existing one, such as the owner's repository, not a
 * second instance). Bound once, in src/composition.module.ts: a port nobody binds fails the application's start.
 */
export function bindPort<T>(token: Port<T>, implementation: Type<NoInfer<T>>): ExistingProvider {
  return { provide: token, useExisting: implementation };
}
