/** A stable, readable segment id from a name: "Arizona openers!" → "arizona-openers" (the id pattern ^[a-z0-9][a-z0-9-]{0,63}$). */
export function idFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || 'segment';
}
