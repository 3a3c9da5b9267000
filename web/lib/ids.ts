const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from a URL or a form is an id (a UUID), before it is sent to a service. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}
