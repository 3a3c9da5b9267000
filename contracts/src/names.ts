/**
 * Names shared by services, Dapr components, dapr.yaml and the Helm chart.
 * A test (names.test.ts and the profile tests) fails when these drift from
 * components/ or dapr.yaml.
 */

/** Dapr app-ids, one per service (DESIGN.md "Services"). */
export const AppIds = {
  identity: 'identity',
  shop: 'shop',
  catalog: 'catalog',
  inventory: 'inventory',
  cart: 'cart',
  order: 'order',
  payment: 'payment',
  marketing: 'marketing',
  membership: 'membership',
  notification: 'notification',
  logistics: 'logistics',
  search: 'search',
  analytics: 'analytics',
  web: 'web',
} as const;
export type AppId = (typeof AppIds)[keyof typeof AppIds];

/** Dapr component names. Every profile in components/ defines each of these. */
export const ComponentNames = {
  /** Pub/sub broker for domain events. */
  pubsub: 'pubsub',
  /** Key/value state with ETags; also the actor and workflow state store. */
  stateStore: 'statestore',
  /** Secrets (signing keys, provider secrets). */
  secretStore: 'secretstore',
  /** Output binding that stores product media (localstorage locally, object storage in production). */
  media: 'media',
} as const;
export type ComponentName = (typeof ComponentNames)[keyof typeof ComponentNames];

/** Dapr actor types. */
export const ActorTypes = {
  flashSaleStock: 'FlashSaleStock',
  groupBuy: 'GroupBuy',
} as const;
export type ActorType = (typeof ActorTypes)[keyof typeof ActorTypes];

/** Dapr workflow names. */
export const WorkflowNames = {
  checkout: 'checkout',
  refund: 'refund',
} as const;
export type WorkflowName = (typeof WorkflowNames)[keyof typeof WorkflowNames];

/** Dapr Configuration resource that every sidecar loads. */
export const DaprConfigName = 'emporium';

/** The topic a subscription's poisoned messages go to. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dead-letter`;
}
