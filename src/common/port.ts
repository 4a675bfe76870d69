import { ExistingProvider, FactoryProvider, Type } from '@nestjs/common';

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

/** A port that several modules implement, each a part (the parts of a bot's status): all of them, in order. */
export interface MultiPortBinding<T = unknown> extends FactoryProvider<T[]> {
  inject: Array<Type<T>>;
}

/**
 * Binds a port of several parts to the existing providers that implement them, in this order. Like `bindPort`,
 * resolved when the application starts: a port nobody binds, or a part whose provider is missing, fails the start.
 */
export function bindPorts<T>(
  token: Port<ReadonlyArray<T>>,
  implementations: ReadonlyArray<Type<NoInfer<T>>>,
): MultiPortBinding<T> {
  return { provide: token, inject: [...implementations], useFactory: (...parts: T[]) => parts };
}

/** What src/composition.module.ts binds: a port to one implementation, or a port of several parts to all of them. */
export type PortBinding = ExistingProvider | MultiPortBinding;
