/**
 * What an action did: a green notice when everything it asked for was done, a red alert when
 * anything was refused, each refusal under the name of what it concerned (a segment's name,
 * never its id) with the server's reason.
 */
export interface Failure {
  /** What the action concerned, as the user knows it ("Arizona openers"). */
  name: string;
  reason: string;
}

export interface Outcome {
  /** "2 segments activated." / "Could not activate the segment." */
  message: string;
  failures: Failure[];
}

export function OutcomeBanner({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return null;
  if (outcome.failures.length === 0) {
    return (
      <p className="notice" role="status">
        {outcome.message}
      </p>
    );
  }
  return (
    <div className="state error outcome" role="alert">
      <strong>{outcome.message}</strong>
      <ul>
        {outcome.failures.map((f, i) => (
          <li key={`${f.name}-${i}`}>
            <strong>{f.name}</strong>: {f.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
