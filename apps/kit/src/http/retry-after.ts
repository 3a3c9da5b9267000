/**
 * A Retry-After that spreads the clients it is sent to: `seconds` and up to half as much again at
 * random, in whole seconds (1 → 1 or 2; 2 → 2 or 3; 4 → 4, 5 or 6). Clients refused in the same
 * busy spell (or while a service restarted) then come back over a second or more, not all in the
 * same one. Its own module: the gateway loads it without the rest of the kit.
 */
export function jitteredSeconds(seconds: number, random: () => number = Math.random): number {
  return seconds + Math.floor(random() * (Math.ceil(seconds / 2) + 1));
}
