import type { Duration, TimeUnit } from '../../../src/definition/ast.js';
import { noun } from '../ui/format';
import { TIME_UNITS } from './vocabulary';

/** An amount and a unit ("30 days"): a relative-date value, or a behavioral block's window. An emptied amount is NaN, which the API then names. */
export function DurationInput({ value, onChange, amountLabel, unitLabel, invalid = false }: { value: Duration; onChange: (d: Duration) => void; amountLabel: string; unitLabel: string; invalid?: boolean }) {
  return (
    <span className="value-duration">
      <input
        aria-label={amountLabel}
        aria-invalid={invalid || undefined}
        type="number"
        min={1}
        className="value-number"
        value={Number.isFinite(value.amount) ? value.amount : ''}
        onChange={(e) => onChange({ ...value, amount: e.target.value === '' ? Number.NaN : Number(e.target.value) })}
      />
      <select aria-label={unitLabel} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as TimeUnit })}>
        {TIME_UNITS.map((u) => (
          <option key={u} value={u}>
            {/* The unit reads in agreement with the amount ("1 day", "30 days"); its value stays the definition's plural. */}
            {noun(value.amount, u.replace(/s$/, ''), u)}
          </option>
        ))}
      </select>
    </span>
  );
}
