/** A promise that resolves to `value` after `ms` milliseconds (a timer: on the event loop's next turn at 0). */
export const wait = <T = undefined>(ms: number, value?: T): Promise<T> => new Promise<T>((resolve) => setTimeout(resolve, ms, value as T))
