import { tcpOpen } from './ports';

/**
 * Which infrastructure the platform runs against, and the environment that
 * carries its addresses to services (DATABASE_URL) and to components
 * (EMPORIUM_INFRA_*, read by the `infra-env` secret store).
 */
export const Profiles = ['embedded', 'services', 'redis', 'nats', 'mqtt'] as const;
export type ProfileName = (typeof Profiles)[number];

export interface Endpoints {
  /** PostgreSQL URL of the platform database; each service uses its own schema in it. */
  postgres: string;
  rabbitmq: string;
  /** host:port */
  redis: string;
  nats: string;
  mqtt: string;
}

export const standardEndpoints: Endpoints = {
  postgres: 'postgres://postgres@127.0.0.1:5432/emporium',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
  redis: '127.0.0.1:6379',
  nats: 'nats://127.0.0.1:4222',
  mqtt: 'tcp://127.0.0.1:1883',
};

/** What each profile needs to be reachable. */
export const profileNeeds: Record<ProfileName, (keyof Endpoints)[]> = {
  embedded: ['postgres', 'mqtt'],
  services: ['postgres', 'rabbitmq'],
  redis: ['postgres', 'redis'],
  nats: ['postgres', 'nats'],
  mqtt: ['postgres', 'mqtt'],
};

/** Endpoints named in the environment win over the standard local ports. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return {
    postgres: env.EMPORIUM_POSTGRES_URL ?? standardEndpoints.postgres,
    rabbitmq: env.EMPORIUM_RABBITMQ_URL ?? standardEndpoints.rabbitmq,
    redis: env.EMPORIUM_REDIS_HOST ?? standardEndpoints.redis,
    nats: env.EMPORIUM_NATS_URL ?? standardEndpoints.nats,
    mqtt: env.EMPORIUM_MQTT_URL ?? standardEndpoints.mqtt,
  };
}

export function hostPort(endpoint: string): { host: string; port: number } {
  if (!endpoint.includes('://')) {
    const [host, port] = endpoint.split(':');
    return { host: host || '127.0.0.1', port: Number(port) };
  }
  const u = new URL(endpoint);
  const defaults: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'amqp:': 5672, 'nats:': 4222, 'tcp:': 1883, 'mqtt:': 1883 };
  return { host: u.hostname, port: Number(u.port || defaults[u.protocol] || 0) };
}

export async function reachable(endpoint: string): Promise<boolean> {
  const { host, port } = hostPort(endpoint);
  return tcpOpen(host, port);
}

/** Which of a profile's needs do not answer. */
export async function missingFor(profile: ProfileName, endpoints: Endpoints): Promise<(keyof Endpoints)[]> {
  const needs = profileNeeds[profile];
  const ok = await Promise.all(needs.map((n) => reachable(endpoints[n])));
  return needs.filter((_, i) => !ok[i]);
}

export interface ProfileChoice {
  profile: ProfileName;
  reason: string;
}

/**
 * EMPORIUM_PROFILE forces a profile; otherwise `services` when PostgreSQL and
 * RabbitMQ answer, else `embedded` (the runner starts what it needs).
 */
export async function chooseProfile(env: NodeJS.ProcessEnv = process.env): Promise<ProfileChoice> {
  const forced = env.EMPORIUM_PROFILE;
  if (forced) {
    if (!(Profiles as readonly string[]).includes(forced)) {
      throw new Error(`EMPORIUM_PROFILE=${forced} is not one of ${Profiles.join(', ')}`);
    }
    return { profile: forced as ProfileName, reason: 'EMPORIUM_PROFILE' };
  }
  const missing = await missingFor('services', endpointsFromEnv(env));
  if (missing.length === 0) return { profile: 'services', reason: 'PostgreSQL and RabbitMQ answer' };
  return { profile: 'embedded', reason: `${missing.join(' and ')} not reachable` };
}

/** Environment for a sidecar: where its components connect. */
export function componentEnv(endpoints: Endpoints): Record<string, string> {
  return {
    EMPORIUM_INFRA_PG_CONNECTION: endpoints.postgres,
    EMPORIUM_INFRA_RABBITMQ_URL: endpoints.rabbitmq,
    EMPORIUM_INFRA_REDIS_HOST: endpoints.redis,
    EMPORIUM_INFRA_NATS_URL: endpoints.nats,
    EMPORIUM_INFRA_MQTT_URL: endpoints.mqtt,
  };
}
