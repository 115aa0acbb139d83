/**
 * An AWS SDK client built on its first use instead of at init. Constructing a client resolves its
 * whole configuration: two more SQS clients at init cost the API's cold start 20 % over its floor on
 * Node.js 22 (docs/performance.md, "Cold start on Node.js 22"). For clients that some requests never
 * touch. Every property (send, config, destroy) reaches the built client.
 */
export function lazyClient<C extends object>(make: () => C): C {
  let made: C | undefined;
  const client = (): C => (made ??= make());
  return new Proxy({} as C, {
    get(_, property) {
      const target = client();
      const value: unknown = Reflect.get(target, property, target);
      // methods run on the client itself (the SDK's send reads its own private fields)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_, property, value) => Reflect.set(client(), property, value),
    has: (_, property) => Reflect.has(client(), property),
  });
}
