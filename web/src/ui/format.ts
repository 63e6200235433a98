const number = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => number.format(n);

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
export const formatInstant = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
