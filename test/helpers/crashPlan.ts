/** The process dies: nothing after this point runs, nothing catches it. */
export class Crash extends Error {
  override name = 'Crash';
}

/** A process that dies runs no catch block: the operation's own settling on failure must not run either. */
export const NO_CATCH_BLOCKS = { settleOnFailure: false } as const;

/** Counts the points a crash can hit (each journal write, each completed Graph call) and dies at the `at`-th. */
export interface CrashPlan {
  readonly at: number;
  count: number;
  hit?: string;
}

/** `target` whose methods in `names` (or all) count toward the plan once they return, and die at its `at`-th. */
export function dyingAfter<T extends object>(target: T, names: readonly string[] | 'all', plan: CrashPlan, label: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || (names !== 'all' && !names.includes(String(property)))) return value;
      return async (...args: unknown[]) => {
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        plan.count += 1;
        if (plan.count === plan.at) {
          plan.hit = `${label}.${String(property)}`;
          throw new Crash(`killed after ${plan.hit}`);
        }
        return result;
      };
    },
  });
}
