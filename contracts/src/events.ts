import { z } from 'zod';

/**
 * The event registry. A topic is named `<entity>.<past-tense>`; each topic has
 * one schema and one version. Publishers and subscribers take the topic from
 * the registry, so the payload type follows from the name, and both sides
 * validate against the same schema.
 */

export const TopicName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'must read <entity>.<past-tense> in lower case, e.g. order.paid');

export interface EventSpec<S extends z.ZodType = z.ZodType> {
  readonly topic: string;
  /** Bumped on every breaking change; carried in each event as `version`. */
  readonly version: number;
  readonly description: string;
  /** Schema of the whole event body, `version` and `occurredAt` included. */
  readonly schema: S;
}

export type EventRegistry = Readonly<Record<string, EventSpec>>;

/** Fields every event carries beside its own. */
export function eventSchema<V extends number, Shape extends z.ZodRawShape>(version: V, shape: Shape) {
  return z
    .object({
      version: z.literal(version).describe('Version of this event type'),
      occurredAt: z.iso.datetime().describe('When the fact happened, ISO 8601 UTC'),
      ...shape,
    })
    .strict();
}

/** Declares one event; the topic name is checked against the naming rule. */
export function defineEvent<const T extends string, V extends number, Shape extends z.ZodRawShape>(
  topic: T,
  version: V,
  description: string,
  shape: Shape,
): EventSpec<ReturnType<typeof eventSchema<V, Shape>>> & { readonly topic: T } {
  TopicName.parse(topic);
  return { topic, version, description, schema: eventSchema(version, shape) };
}

/** Builds a registry keyed by topic from event specs. */
export function defineRegistry<const Specs extends readonly EventSpec[]>(
  ...specs: Specs
): { readonly [S in Specs[number] as S['topic']]: S } {
  const registry: Record<string, EventSpec> = {};
  for (const spec of specs) {
    if (registry[spec.topic]) throw new Error(`topic ${spec.topic} is declared twice`);
    registry[spec.topic] = spec;
  }
  return registry as { readonly [S in Specs[number] as S['topic']]: S };
}

export type TopicOf<R extends EventRegistry> = Extract<keyof R, string>;
/** The body of an event on topic T, as the subscriber receives it. */
export type EventOf<R extends EventRegistry, T extends TopicOf<R>> = z.infer<R[T]['schema']>;
/** What a publisher supplies: the body without the fields the kit fills in. */
export type EventInput<R extends EventRegistry, T extends TopicOf<R>> = Omit<EventOf<R, T>, 'version' | 'occurredAt'> & {
  occurredAt?: string;
};
