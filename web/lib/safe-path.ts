/** Only paths of this site, so a crafted link cannot send a visitor elsewhere afterwards. */
export function safePath(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : fallback;
}
