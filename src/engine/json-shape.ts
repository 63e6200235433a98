/**
 * `T` as the HTTP API carries it in JSON: its instants (Date) as ISO 8601 text. One type serves
 * the server that renders it and the clients that read it (the CLI's remote backend, the web UI).
 */
export type JsonShape<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
