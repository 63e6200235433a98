const number = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => number.format(n);

/** The word agreeing with a count shown apart from it ("contact" for 1, else "contacts"; `many` for irregular plurals). */
export const noun = (n: number, one: string, many = `${one}s`): string => (n === 1 ? one : many);

/** "1 member", "4,189 members": the count and the word agreeing with it (`many` for irregular plurals). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${noun(n, one, many)}`;

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
export const formatInstant = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
