import { BAD, MEDIA, type BadCase } from './types.js';
import { INJECTIONS } from './values.js';

/** One import upload: its kind, file name and content type; the body is the file. */
function upload(name: string, kind: string, file: string, body: string, expect: readonly number[], contentType = file.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson', query = ''): BadCase {
  return {
    name: `POST /imports/${kind}?name=${file}: ${name}`,
    method: 'POST',
    url: `/imports/${encodeURIComponent(kind)}?name=${encodeURIComponent(file)}${query}`,
    headers: { 'content-type': contentType },
    raw: body,
    expect,
  };
}

/**
 * Import files: broken CSV quoting and field counts, unknown columns, wrong types, impossible
 * dates and offsets, non-finite numbers, prototype keys in JSONL, and bad kinds, names and
 * content types. An import is all or nothing: a good first row must not be kept either.
 */
export function importCases(): BadCase[] {
  const ok = 'c50,Ada';
  // Not here: a quote inside an unquoted field (Gr"ace). The reader takes it as text, as DuckDB's
  // strict RFC 4180 mode and most CSV readers do: a quote opens a quoted field only at its start.
  const csv: [string, string][] = [
    ['an unterminated quote', `id,first_name\n${ok}\nc51,"Grace\n`],
    ['text after a closing quote', `id,first_name\n${ok}\nc51,"Grace"Hopper\n`],
    ['a row with an extra field', `id,first_name\n${ok}\nc51,Grace,Hopper\n`],
    ['a row with a missing field', `id,first_name,state\n${ok},AZ\nc51,Grace\n`],
    ['an unknown column', `id,nickname\nc50,Ada\n`],
    ['an injection column name', `id,"state; ${INJECTIONS[0].replaceAll('"', '""')}"\nc50,AZ\n`],
    ['a "__proto__" column', `id,__proto__\nc50,x\n`],
    ['a "constructor" column', `id,constructor\nc50,x\n`],
    ['a repeated column', `id,state,state\nc50,AZ,CA\n`],
    ['no id column', `first_name\nAda\n`],
    ['an empty id', `id,first_name\n${ok}\n,Grace\n`],
    ['score "abc"', `id,score\nc50,10\nc51,abc\n`],
    ['score 1e309', `id,score\nc50,10\nc51,1e309\n`],
    ['score 9007199254740993', `id,score\nc50,10\nc51,9007199254740993\n`],
    ['email_consent "maybe"', `id,email_consent\nc50,true\nc51,maybe\n`],
    ['birthdate 2023-02-29', `id,birthdate\nc50,1990-01-01\nc51,2023-02-29\n`],
    ['birthdate 0000-01-01', `id,birthdate\nc50,1990-01-01\nc51,0000-01-01\n`],
    ['birthdate 10000-01-01', `id,birthdate\nc50,1990-01-01\nc51,10000-01-01\n`],
    ['created_at with offset +25:00', `id,created_at\nc50,2024-01-01T00:00:00Z\nc51,2024-01-01T00:00:00+25:00\n`],
    ['created_at in year 0000', `id,created_at\nc50,2024-01-01T00:00:00Z\nc51,0000-01-01T00:00:00Z\n`],
    ['created_at at 25:00', `id,created_at\nc50,2024-01-01T00:00:00Z\nc51,2024-01-01T25:00:00Z\n`],
  ];
  const cases = csv.map(([why, body]) => upload(why, 'contacts', 'contacts.csv', body, BAD));

  const occurred = '2024-05-30T10:00:00Z';
  for (const [why, body] of [
    ['an unknown type', `contact_id,type,occurred_at\nc1,email_open,${occurred}\nc1,email_opened,${occurred}\n`],
    ['occurred_at with offset -14:30', `contact_id,type,occurred_at\nc1,email_open,${occurred}\nc1,email_open,2024-01-01T00:00:00-14:30\n`],
    ['occurred_at 2023-02-29', `contact_id,type,occurred_at\nc1,email_open,${occurred}\nc1,email_open,2023-02-29T10:00:00Z\n`],
    ['occurred_at "soon"', `contact_id,type,occurred_at\nc1,email_open,${occurred}\nc1,email_open,soon\n`],
    ['no occurred_at column', `contact_id,type\nc1,email_open\n`],
    ['an unknown property column', `contact_id,type,occurred_at,coupon\nc1,email_open,${occurred},X\n`],
    ['an unterminated quote', `contact_id,type,occurred_at,campaign_id\nc1,email_open,${occurred},"spring\n`],
  ] as const) {
    cases.push(upload(why, 'interactions', 'interactions.csv', body, BAD));
  }

  const line = (o: Record<string, unknown>): string => JSON.stringify(o);
  const good = line({ id: 'c50', first_name: 'Ada' });
  for (const [why, body] of [
    ['score "5", a string for a number', `${good}\n${line({ id: 'c51', score: '5' })}\n`],
    ['email_consent "yes"', `${good}\n${line({ id: 'c51', email_consent: 'yes' })}\n`],
    ['email_consent 1', `${good}\n${line({ id: 'c51', email_consent: 1 })}\n`],
    ['state 5, a number for a string', `${good}\n${line({ id: 'c51', state: 5 })}\n`],
    ['score 1e309', `${good}\n{"id":"c51","score":1e309}\n`],
    ['score 9007199254740993', `${good}\n{"id":"c51","score":9007199254740993}\n`],
    ['created_at with offset +25:00', `${good}\n${line({ id: 'c51', created_at: '2024-01-01T00:00:00+25:00' })}\n`],
    ['birthdate 10000-01-01', `${good}\n${line({ id: 'c51', birthdate: '10000-01-01' })}\n`],
    ['a malformed line', `${good}\n{"id":"c51","first_name":\n`],
    ['a line that is an array', `${good}\n["c51","Grace"]\n`],
    ['a line that is a string', `${good}\n"c51"\n`],
    ['an unknown attribute', `${good}\n${line({ id: 'c51', nickname: 'G' })}\n`],
    ['a "__proto__" key', `${good}\n{"id":"c51","__proto__":{"admin":true}}\n`],
    ['a "constructor" key', `${good}\n${line({ id: 'c51', constructor: 'x' })}\n`],
    ['an id with control characters', `${good}\n${line({ id: 'c\u0000x' })}\n`],
  ] as const) {
    cases.push(upload(why, 'contacts', 'contacts.jsonl', body, BAD));
  }
  cases.push(upload('a property of the wrong type', 'interactions', 'interactions.jsonl', `${line({ contact_id: 'c1', type: 'email_open', occurred_at: occurred, properties: { campaign_id: 5 } })}\n`, BAD));
  cases.push(upload('properties as a string', 'interactions', 'interactions.jsonl', `${line({ contact_id: 'c1', type: 'email_open', occurred_at: occurred, properties: 'spring' })}\n`, BAD));

  // The request around the file.
  const file = `id,first_name\n${ok}\n`;
  cases.push(upload('an unknown kind', 'widgets', 'contacts.csv', file, BAD));
  cases.push(upload('an injection kind', INJECTIONS[0], 'contacts.csv', file, BAD));
  cases.push(upload('a .txt name (no format)', 'contacts', 'contacts.txt', file, BAD, 'text/csv'));
  cases.push(upload('a traversal name with no format', 'contacts', '../../etc/passwd', file, BAD, 'text/csv'));
  cases.push(upload('a name with a NUL', 'contacts', 'contacts\u0000.csv', file, BAD));
  cases.push(upload('a name that is the parent directory', 'contacts', '..', file, BAD));
  cases.push(upload('a name that is a directory', 'contacts', 'uploads/', file, BAD));
  cases.push(upload('skipBadRows "yes"', 'contacts', 'contacts.csv', file, BAD, 'text/csv', '&skipBadRows=yes'));
  cases.push(upload('an unknown query parameter', 'contacts', 'contacts.csv', file, BAD, 'text/csv', '&mode=replace'));
  cases.push({ name: 'POST /imports/contacts: no name', method: 'POST', url: '/imports/contacts', headers: { 'content-type': 'text/csv' }, raw: file, expect: BAD });
  cases.push(upload('a JSON body instead of a file', 'contacts', 'contacts.jsonl', line({ id: 'c50' }), [400, 415], 'application/json'));
  cases.push(upload('a text/plain body', 'contacts', 'contacts.csv', file, [415], 'text/plain'));
  cases.push(upload('a multipart body', 'contacts', 'contacts.csv', `--b\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n\r\n${file}\r\n--b--\r\n`, [415], 'multipart/form-data; boundary=b'));
  cases.push(upload('a form-encoded body', 'contacts', 'contacts.csv', 'id=c50', MEDIA, 'application/x-www-form-urlencoded'));
  return cases;
}
